"""Where an asset is: coordinates inside the borough, or a ward from a postcode."""

from django.conf import settings
from django.core.exceptions import ValidationError


def borough_name():
    """The place the council serves, from its name in the site settings.

    "Kelderby Borough Council" gives "Kelderby": the settings hold the
    council's name, and addresses and messages want the place.
    """
    from coproduce.mail import email_context

    name = email_context()["council_name"].strip()
    for suffix in (
        "Metropolitan Borough Council",
        "Borough Council",
        "City Council",
        "District Council",
        "County Council",
        "Council",
    ):
        if name.endswith(suffix) and name != suffix:
            return name[: -len(suffix)].strip()
    return name


def borough_bounds():
    return settings.ASSETMAP_BOROUGH_BOUNDS


def coordinates_validate(latitude, longitude):
    """Both or neither; numbers inside the borough's bounding box.

    Raises a ValidationError keyed by field so forms show it next to the input.
    """
    if latitude is None and longitude is None:
        return
    if latitude is None:
        raise ValidationError(
            {"latitude": "Enter the latitude as well as the longitude, or leave both empty."}
        )
    if longitude is None:
        raise ValidationError(
            {"longitude": "Enter the longitude as well as the latitude, or leave both empty."}
        )
    errors = {}
    if not -90 <= latitude <= 90:
        errors["latitude"] = "Latitude must be between -90 and 90, like 53.6412."
    if not -180 <= longitude <= 180:
        errors["longitude"] = "Longitude must be between -180 and 180, like -2.1234."
    if errors:
        raise ValidationError(errors)
    box = borough_bounds()
    if not (box["south"] <= latitude <= box["north"] and box["west"] <= longitude <= box["east"]):
        raise ValidationError(
            {
                "latitude": (
                    "That place is outside the borough. Check the latitude and longitude "
                    f"({borough_name()} lies between latitudes {box['south']} and {box['north']} "
                    f"and longitudes {box['west']} and {box['east']}), or choose the ward instead."
                )
            },
            code="outside_borough",
        )


def postcode_centre(postcode):
    """(latitude, longitude) of a normalised postcode from the loaded table, or None."""
    from .models import Postcode

    return Postcode.objects.centre_of(postcode)


def ward_centre(ward):
    """The mean position of the ward's loaded postcodes, or None."""
    from commissioning.models import Ward

    from .models import Postcode

    wards = list(Ward.objects.only("id", "postcode_prefixes"))
    return Postcode.objects.ward_centre(ward, wards)


def bbox_parse(value):
    """'west,south,east,north' (RFC 7946 order) -> tuple of floats, or ValueError."""
    import math

    parts = value.split(",")
    if len(parts) != 4:
        raise ValueError("bbox must be four numbers: west,south,east,north.")
    try:
        west, south, east, north = (float(p) for p in parts)
    except ValueError:
        raise ValueError("bbox must be four numbers: west,south,east,north.") from None
    if not all(math.isfinite(v) for v in (west, south, east, north)):
        raise ValueError("bbox must be four finite numbers.")
    if not (
        -180 <= west <= 180 and -180 <= east <= 180 and -90 <= south <= 90 and -90 <= north <= 90
    ):
        raise ValueError("bbox longitudes must be within ±180 and latitudes within ±90.")
    if west > east or south > north:
        raise ValueError("bbox must be west,south,east,north with west ≤ east and south ≤ north.")
    return west, south, east, north
