"""Values a page reads only when its template first asks for them."""


def once(read):
    """Return a callable that calls ``read()`` the first time and returns that value after.

    Templates call the callables they find in their context, so a part shown from a kept
    fragment (templatetags/fragments.py) never reads its value. Lighter than
    ``functools.cache``, whose wrapper copies the function's attributes when it is made
    (~3 µs, seven times a render of the article page).
    """
    value = []

    def get():
        if not value:
            value.append(read())
        return value[0]

    return get
