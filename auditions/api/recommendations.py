"""`GET auditions/recommended` and `POST/DELETE auditions/{id}/dismiss`.

Registered as viewsets of their own (routes.py) so the feed and dismissals stay out of the
catalogue's viewset; `recommended` is registered before `auditions`, and the catalogue's
detail route only takes UUIDs, so the two never collide.
"""

from types import SimpleNamespace
from typing import Any

from django.utils import timezone
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework import serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.request import Request
from rest_framework.response import Response

from auditions import reasons, recommendations, services
from auditions.api import lean
from auditions.api.serializers import AuditionSerializer, audition_dict, reader_language
from auditions.models import Audition
from auditions.pagination import KeysetCursorPage
from ohmanager.fields import StrictBooleanField, StrictCharField, StrictIntegerField

UUID_PATTERN = r"[0-9a-fA-F]{8}-?[0-9a-fA-F]{4}-?[0-9a-fA-F]{4}-?[0-9a-fA-F]{4}-?[0-9a-fA-F]{12}"


class ReasonSerializer(serializers.Serializer):
    code = StrictCharField(
        help_text="Stable machine code, e.g. category_match, age_fits_role, deadline_soon, "
        "age_near_miss."
    )
    text = StrictCharField(help_text="Human text in the member's language.")


class RecommendedAuditionSerializer(AuditionSerializer):
    score = StrictIntegerField(min_value=0, max_value=100)
    near_miss = StrictBooleanField(
        help_text="No role fits, but one nearly does (only with near_misses=true)."
    )
    reasons = ReasonSerializer(many=True)

    def to_representation(self, instance: Audition) -> dict[str, Any]:
        today = self.context["today"]
        return {
            **audition_dict(instance, today, reader_language(self.context.get("request"))),
            "score": instance.score,
            "near_miss": not instance.fits,
            "reasons": reasons.explain(instance, self.context["performer"], today),
        }


class FeedQuery(serializers.Serializer):
    near_misses = StrictBooleanField(
        required=False,
        default=False,
        help_text="Also list auditions whose roles the member nearly fits, explained.",
    )


class RecommendedViewSet(viewsets.GenericViewSet):
    serializer_class = RecommendedAuditionSerializer
    queryset = Audition.objects.none()  # for the schema; list() builds the member's feed
    pagination_class = KeysetCursorPage

    @extend_schema(
        summary="Open auditions recommended for me, best first, each with score and reasons",
        parameters=[FeedQuery],
        tags=["auditions"],
    )
    def list(self, request: Request) -> Response:
        query = FeedQuery(data=request.query_params)
        query.is_valid(raise_exception=True)
        feed = recommendations.feed_context(
            member=request.user,
            today=timezone.localdate(),
            near_misses=query.validated_data["near_misses"],
        )
        cursor = self.paginator.request_cursor(request)
        ranked = recommendations.ranked_page(
            feed=feed, cursor=cursor, page_size=self.paginator.page_size
        )
        page = recommendations.recommended_page(feed=feed, ranked=ranked.rows, as_rows=True)
        return self.paginator.page_response(
            ranked, recommended_items(page, feed, reader_language(request))
        )


def recommended_items(
    rows: list[dict], feed: recommendations.FeedContext, language: str = "ko"
) -> list[dict]:
    """RecommendedAuditionSerializer's shape from plain rows (the lean read path,
    auditions/api/lean.py; test_lean_equivalence pins the two together). `explain` reads
    attributes, so it gets a namespace over the row."""
    today, performer = feed.today, feed.performer
    zone = timezone.get_current_timezone()  # once per page, not per row
    local_today = timezone.localdate(timezone=zone)
    return [
        {
            **lean.audition_item(row, today, language, zone),
            "score": row["score"],
            "near_miss": not row["fits"],
            "reasons": reasons.explain(
                SimpleNamespace(**row), performer, today, zone=zone, local_today=local_today
            ),
        }
        for row in rows
    ]


class DismissalViewSet(viewsets.GenericViewSet):
    # Only the `dismiss` action: no list or detail routes of its own.

    lookup_value_regex = UUID_PATTERN
    pagination_class = None

    @extend_schema(
        summary="Hide an audition from my recommended feed (POST) or bring it back (DELETE)",
        request=None,
        responses={
            204: OpenApiResponse(description="Done (idempotent)."),
            404: OpenApiResponse(description="No such audition."),
        },
        parameters=[OpenApiParameter("id", str, OpenApiParameter.PATH)],
        tags=["auditions"],
    )
    @action(detail=True, methods=["post", "delete"], url_path="dismiss")
    def dismiss(self, request: Request, pk: str) -> Response:
        if request.method == "POST":
            services.dismissal_add(member=request.user, audition_id=pk)
        else:
            services.dismissal_remove(member=request.user, audition_id=pk)
        return Response(status=status.HTTP_204_NO_CONTENT)
