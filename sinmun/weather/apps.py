from django.apps import AppConfig


class WeatherConfig(AppConfig):
    name = "sinmun.weather"
    label = "weather"
    verbose_name = "날씨"
