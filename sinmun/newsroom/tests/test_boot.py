from django.conf import settings


def test_var_dir_is_temporary():
    assert "sinmun-test-" in str(settings.VAR_DIR)
