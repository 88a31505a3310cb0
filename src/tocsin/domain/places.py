"""Where things are: coordinates and IANA time zones, validated once."""

from __future__ import annotations

from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from tocsin.domain.errors import InvalidInput


def check_time_zone(name: str) -> str:
    """Return the IANA zone name if the system knows it, else raise a clear error."""
    try:
        ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError):
        raise InvalidInput(
            f"{name!r} is not a known IANA time zone: use a name such as 'Europe/Paris'."
        ) from None
    return name


def check_coordinates(latitude: float | None, longitude: float | None) -> None:
    """Latitude and longitude come together and lie on Earth (WGS 84 degrees)."""
    if (latitude is None) != (longitude is None):
        raise InvalidInput("Give both latitude and longitude, or neither.")
    if latitude is not None and not -90.0 <= latitude <= 90.0:
        raise InvalidInput(f"Latitude {latitude} is outside -90..90 degrees.")
    if longitude is not None and not -180.0 <= longitude <= 180.0:
        raise InvalidInput(f"Longitude {longitude} is outside -180..180 degrees.")
