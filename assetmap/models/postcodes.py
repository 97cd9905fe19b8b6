"""The borough's postcodes and where they are, as loaded by the council.

A plain model, not a snippet: it is reference data imported in bulk (from the
ONS Postcode Directory or an address gazetteer) with `import_postcodes`, and
it gives an asset located by postcode or by ward its coordinates.
"""

from django.db import models
from django.db.models import Avg, Q


class PostcodeQuerySet(models.QuerySet):
    def centre_of(self, postcode):
        """(latitude, longitude) of a normalised postcode, or None if it is not loaded."""
        row = self.filter(postcode=postcode).values_list("latitude", "longitude").first()
        return tuple(row) if row else None

    def in_ward(self, ward, wards):
        """Postcodes whose longest matching prefix among `wards` is one of `ward`'s."""
        own = ward.prefixes
        match = Q()
        for prefix in own:
            match |= Q(postcode__startswith=prefix)
        if not own:
            return self.none()
        queryset = self.filter(match)
        for other in wards:
            if other.pk == ward.pk:
                continue
            for prefix in other.prefixes:
                if any(prefix.startswith(p) and len(prefix) > len(p) for p in own):
                    queryset = queryset.exclude(postcode__startswith=prefix)
        return queryset

    def ward_centre(self, ward, wards):
        """The mean position of a ward's postcodes, or None if none are loaded."""
        centre = self.in_ward(ward, wards).aggregate(
            latitude=Avg("latitude"), longitude=Avg("longitude")
        )
        if centre["latitude"] is None:
            return None
        return round(centre["latitude"], 6), round(centre["longitude"], 6)


class Postcode(models.Model):
    """The centroid of one postcode unit, like "KX5 1AA"."""

    postcode = models.CharField(max_length=8, unique=True, help_text="Like KX5 1AA.")
    latitude = models.FloatField()
    longitude = models.FloatField()

    objects = PostcodeQuerySet.as_manager()

    class Meta:
        ordering = ["postcode"]

    def __str__(self):
        return self.postcode
