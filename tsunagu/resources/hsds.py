"""Open Referral HSDS 3.0 exchange of the resource directory.

A municipality's directory goes out as HSDS JSON (services, each with its organization,
locations, phones, schedule, service areas, capacity and attributes nested, as the
specification's JSON shape) or as the tabular data package (a zip of datapackage.json
and one CSV per table). Both come back in through one reader: the CSV tables are put
back together into the nested shape first.

Every field of a resource has its place, so that export → import loses nothing:

| Resource            | HSDS                                                              |
|---------------------|-------------------------------------------------------------------|
| name, description   | service.name, service.description                                 |
| kind, fields, issues| service.attributes → taxonomy terms of the `tsunagu` taxonomy      |
| provider_agency     | service.organization (its kind as an attribute `agency_kind:…`)   |
| provider_name       | service.organization when there is no agency, else service.contacts|
| districts           | service.service_areas (one per district; the municipality's name  |
|                     | for the whole municipality)                                       |
| min_age, max_age    | service.minimum_age, service.maximum_age                          |
| conditions          | service.eligibility_description                                   |
| cost                | service.fees_description                                          |
| hours               | service.schedules[0].description                                  |
| phone, email, url   | service.phones[0].number, service.email, service.url              |
| address             | service.service_at_locations[0].location.addresses[0].address_1   |
| capacity            | service.capacities[0].description (unit 枠)                        |
| last_checked_on     | service.assured_date                                              |
| active              | service.status (active / inactive)                                |

Reading (tsunagu.resources.hsds_import) is all or nothing. Resources hold no personal
data; nothing else is exported.
"""

import csv
import io
import json
import re
import unicodedata
import uuid
import zipfile
from collections.abc import Iterable
from typing import Any

from django.db.models import TextChoices
from django.utils import timezone
from django.utils.translation import gettext as _

from tsunagu.accounts.models import AgencyKind, Municipality
from tsunagu.community.models import ResourceField
from tsunagu.resources.models import Resource, ResourceKind
from tsunagu.sheets.models import Issue

HSDS_VERSION = "3.0"
# Fixed ids make every export of the same directory byte-for-byte comparable.
NAMESPACE = uuid.uuid5(uuid.NAMESPACE_URL, "https://tsunagu.invalid/hsds")
TAXONOMY_NAME = "tsunagu"
TAXONOMY_ID = str(uuid.uuid5(NAMESPACE, "taxonomy"))
CAPACITY_UNIT_ID = str(uuid.uuid5(NAMESPACE, "unit:slot"))
STATUSES = ("active", "inactive", "defunct", "temporarily closed")
# The description of the organization written for a resource that names no provider
# (HSDS asks every service for one); reading it back leaves the provider empty.
NO_PROVIDER = "提供者の記載なし"


class AreaScope(TextChoices):
    """A service area that is not one district: the whole municipality, whatever its name."""

    MUNICIPALITY = "municipality", "自治体の全域"


# The groups of the tsunagu taxonomy: a term's code is "<group>:<value>".
VOCABULARIES: dict[str, tuple[str, Any]] = {
    "kind": ("社会資源の種類", ResourceKind),
    "field": ("社会資源の分野", ResourceField),
    "issue": ("アセスメントの課題と背景要因", Issue),
    "agency_kind": ("機関の種別", AgencyKind),
    "area": ("対象地域", AreaScope),
}

# Tables of the data package: resource name → (file, columns).
TABLES: dict[str, tuple[str, tuple[str, ...]]] = {
    "organization": ("organizations.csv", ("id", "name", "alternate_name", "description", "email", "website")),
    "service": (
        "services.csv",
        (
            "id",
            "organization_id",
            "name",
            "alternate_name",
            "description",
            "url",
            "email",
            "status",
            "fees_description",
            "eligibility_description",
            "minimum_age",
            "maximum_age",
            "assured_date",
        ),
    ),
    "location": ("locations.csv", ("id", "location_type", "organization_id", "name", "description")),
    "service_at_location": ("service_at_locations.csv", ("id", "service_id", "location_id", "description")),
    "address": (
        "addresses.csv",
        (
            "id",
            "location_id",
            "attention",
            "address_1",
            "address_2",
            "city",
            "region",
            "state_province",
            "postal_code",
            "country",
            "address_type",
        ),
    ),
    "phone": ("phones.csv", ("id", "service_id", "organization_id", "location_id", "number", "type", "description")),
    "schedule": ("schedules.csv", ("id", "service_id", "description")),
    "service_area": ("service_areas.csv", ("id", "service_id", "name", "description")),
    "service_capacity": (
        "service_capacity.csv",
        ("id", "service_id", "unit_id", "available", "maximum", "description", "updated"),
    ),
    "unit": ("units.csv", ("id", "name", "scheme", "identifier", "uri")),
    "contact": ("contacts.csv", ("id", "service_id", "organization_id", "name", "title", "department")),
    "taxonomy": ("taxonomies.csv", ("id", "name", "description", "uri", "version")),
    "taxonomy_term": (
        "taxonomy_terms.csv",
        ("id", "code", "name", "description", "parent_id", "taxonomy", "language", "taxonomy_id", "term_uri"),
    ),
    "attribute": (
        "attributes.csv",
        ("id", "link_id", "link_type", "link_entity", "taxonomy_term_id", "value", "label"),
    ),
}
NUMBER_COLUMNS = frozenset({"minimum_age", "maximum_age", "available", "maximum"})


def _id(*parts: Any) -> str:
    return str(uuid.uuid5(NAMESPACE, ":".join(str(p) for p in parts)))


# Export ----------------------------------------------------------------------------------


def _taxonomy() -> dict[str, Any]:
    return {
        "id": TAXONOMY_ID,
        "name": TAXONOMY_NAME,
        "description": "つなぐの社会資源の分類（種類・分野・対応するアセスメントの課題・機関の種別）",
        "uri": "",
        "version": "1",
    }


def _term(group: str, value: str) -> dict[str, Any]:
    title, vocabulary = VOCABULARIES[group]
    return {
        "id": _id("term", group, value),
        "code": f"{group}:{value}",
        "name": str(vocabulary(value).label),
        "description": title,
        "parent_id": _id("term", group),
        "taxonomy": TAXONOMY_NAME,
        "language": "ja",
        "taxonomy_id": TAXONOMY_ID,
        "term_uri": "",
        "taxonomy_detail": _taxonomy(),
    }


def _parent_term(group: str) -> dict[str, Any]:
    title, _vocabulary = VOCABULARIES[group]
    return {
        "id": _id("term", group),
        "code": group,
        "name": title,
        "description": title,
        "parent_id": "",
        "taxonomy": TAXONOMY_NAME,
        "language": "ja",
        "taxonomy_id": TAXONOMY_ID,
        "term_uri": "",
    }


def _attribute(link_id: str, entity: str, group: str, value: str) -> dict[str, Any]:
    term = _term(group, value)
    return {
        "id": _id("attribute", link_id, group, value),
        "link_id": link_id,
        "link_type": group,
        "link_entity": entity,
        "taxonomy_term_id": term["id"],
        "value": value,
        "label": term["name"],
        "taxonomy_term": term,
    }


def _organization(resource: Resource, municipality: Municipality, org_id: str) -> dict[str, Any]:
    agency = resource.provider_agency
    if agency is not None:
        return {
            "id": org_id,
            "name": agency.name,
            "alternate_name": "",
            "description": str(agency.get_kind_display()),
            "email": "",
            "website": "",
            "attributes": [_attribute(org_id, "organization", "agency_kind", agency.kind)],
        }
    return {
        "id": org_id,
        "name": resource.provider_name or str(municipality),
        "alternate_name": "",
        "description": "" if resource.provider_name else NO_PROVIDER,
        "email": "",
        "website": "",
        "attributes": [],
    }


def _org_key(resource: Resource) -> str:
    if resource.provider_agency_id:
        return f"agency:{resource.provider_agency_id}"
    return f"name:{resource.provider_name}" if resource.provider_name else "none"


def service_object(
    resource: Resource, municipality: Municipality, organizations: dict[str, str] | None = None
) -> dict[str, Any]:
    """One resource in the HSDS 3.0 JSON shape of a service. `organizations` (id → the
    provider it stands for) keeps one organization id for one provider across an export."""
    ids = resource.hsds_ids or {}
    service_id = str(ids.get("service") or resource.code)
    key = _org_key(resource)
    org_id = str(ids.get("organization") or "")
    if organizations is not None and organizations.get(org_id, key) != key:
        org_id = ""  # an id given on import, now naming another provider: use ours
    org_id = org_id or _id(municipality.pk, "organization", key)
    if organizations is not None:
        organizations.setdefault(org_id, key)
    service: dict[str, Any] = {
        "id": service_id,
        "organization_id": org_id,
        "name": resource.name,
        "alternate_name": "",
        "description": resource.description,
        "url": resource.url,
        "email": resource.email,
        "status": "active" if resource.active else "inactive",
        "fees_description": resource.cost,
        "eligibility_description": resource.conditions,
        "minimum_age": resource.min_age,
        "maximum_age": resource.max_age,
        "assured_date": resource.last_checked_on.isoformat() if resource.last_checked_on else None,
        "organization": _organization(resource, municipality, org_id),
        "phones": [],
        "schedules": [],
        "service_areas": [],
        "service_at_locations": [],
        "capacities": [],
        "contacts": [],
        "attributes": [
            _attribute(service_id, "service", "kind", resource.kind),
            *(_attribute(service_id, "service", "field", f) for f in resource.fields),
            *(_attribute(service_id, "service", "issue", i) for i in resource.issues),
        ],
    }
    if resource.phone:
        service["phones"].append(
            {"id": _id(service_id, "phone"), "service_id": service_id, "number": resource.phone, "type": "voice"}
        )
    if resource.hours:
        service["schedules"].append(
            {"id": _id(service_id, "schedule"), "service_id": service_id, "description": resource.hours}
        )
    districts = list(resource.districts.all())
    for district in districts:
        service["service_areas"].append(
            {
                "id": _id(service_id, "area", district.name),
                "service_id": service_id,
                "name": district.name,
                "description": _("%(name)s地区") % {"name": district.name},
            }
        )
    if not districts:
        area_id = _id(service_id, "area")
        service["service_areas"].append(
            {
                "id": area_id,
                "service_id": service_id,
                "name": municipality.name,
                "description": _("%(name)sの全域") % {"name": municipality.name},
                "attributes": [_attribute(area_id, "service_area", "area", AreaScope.MUNICIPALITY)],
            }
        )
    if resource.address:
        location_id = str(ids.get("location") or _id(service_id, "location"))
        service["service_at_locations"].append(
            {
                "id": _id(service_id, "service_at_location", location_id),
                "service_id": service_id,
                "location_id": location_id,
                "description": "",
                "location": {
                    "id": location_id,
                    "location_type": "physical",
                    "organization_id": org_id,
                    "name": resource.name,
                    "description": "",
                    "addresses": [
                        {
                            "id": _id(location_id, "address"),
                            "location_id": location_id,
                            "attention": "",
                            "address_1": resource.address,
                            "address_2": "",
                            "city": municipality.name,
                            "region": "",
                            "state_province": municipality.prefecture,
                            "postal_code": "",
                            "country": "JP",
                            "address_type": "physical",
                        }
                    ],
                },
            }
        )
    if resource.capacity:
        number = re.search(r"\d+", unicodedata.normalize("NFKC", resource.capacity))
        service["capacities"].append(
            {
                "id": _id(service_id, "capacity"),
                "service_id": service_id,
                "unit_id": CAPACITY_UNIT_ID,
                "unit": {"id": CAPACITY_UNIT_ID, "name": "枠", "scheme": "", "identifier": "", "uri": ""},
                "available": int(number.group()) if number else 0,
                "maximum": int(number.group()) if number else None,
                "description": resource.capacity,
                "updated": timezone.localtime(resource.updated_at).isoformat(),
            }
        )
    if resource.provider_agency_id and resource.provider_name:
        service["contacts"].append(
            {"id": _id(service_id, "contact"), "service_id": service_id, "name": resource.provider_name}
        )
    return service


def directory(municipality: Municipality) -> list[Resource]:
    return list(
        Resource.objects.filter(municipality=municipality)
        .select_related("provider_agency")
        .prefetch_related("districts")
        .in_directory_order()
    )


def export_services(municipality: Municipality) -> list[dict[str, Any]]:
    organizations: dict[str, str] = {}
    return [service_object(r, municipality, organizations) for r in directory(municipality)]


def export_json(municipality: Municipality) -> bytes:
    """The directory as one page of the HSDS API's service list."""
    services = export_services(municipality)
    page = {
        "total_items": len(services),
        "total_pages": 1,
        "page_number": 1,
        "size": len(services),
        "first_page": True,
        "last_page": True,
        "empty": not services,
        "contents": services,
    }
    return json.dumps(page, ensure_ascii=False, indent=2).encode()


def _tables(services: list[dict[str, Any]]) -> dict[str, list[dict[str, Any]]]:
    """Flatten nested services into the package's tables; shared rows (organizations,
    terms, units) once each."""
    tables: dict[str, dict[str, dict[str, Any]]] = {name: {} for name in TABLES}

    def put(table: str, row: dict[str, Any], **extra: Any) -> None:
        tables[table].setdefault(row["id"], {**row, **extra})

    def put_attributes(attributes: Iterable[dict[str, Any]]) -> None:
        for attribute in attributes:
            term = attribute["taxonomy_term"]
            put("attribute", attribute)
            put("taxonomy_term", term)
            put("taxonomy_term", _parent_term(term["code"].split(":")[0]))
            put("taxonomy", term["taxonomy_detail"])

    for service in services:
        organization = service["organization"]
        put("organization", organization)
        put_attributes(organization["attributes"])
        put("service", service)
        put_attributes(service["attributes"])
        for name, table in [("phones", "phone"), ("schedules", "schedule"), ("service_areas", "service_area")]:
            for row in service[name]:
                put(table, row)
                put_attributes(row.get("attributes", []))
        for contact in service["contacts"]:
            put("contact", contact)
        for capacity in service["capacities"]:
            put("service_capacity", capacity)
            put("unit", capacity["unit"])
        for link in service["service_at_locations"]:
            put("service_at_location", link)
            location = link["location"]
            put("location", location)
            for address in location["addresses"]:
                put("address", address)
    return {name: list(rows.values()) for name, rows in tables.items()}


def _cell(value: Any) -> str:
    return "" if value is None else str(value)


def export_package(municipality: Municipality) -> bytes:
    """The tabular data package: datapackage.json and one CSV per table, in a zip."""
    tables = _tables(export_services(municipality))
    descriptor: dict[str, Any] = {
        "name": "tsunagu_resources",
        "title": _("%(town)sの社会資源") % {"town": municipality},
        "profile": "tabular-data-package",
        "hsds_version": HSDS_VERSION,
        "created": timezone.now().isoformat(),
        "resources": [],
    }
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, (path, columns) in TABLES.items():
            text = io.StringIO()
            writer = csv.writer(text, lineterminator="\r\n")
            writer.writerow(columns)
            for row in tables[name]:
                writer.writerow([_cell(row.get(column)) for column in columns])
            archive.writestr(path, text.getvalue())
            descriptor["resources"].append(
                {
                    "name": name,
                    "path": path,
                    "profile": "tabular-data-resource",
                    "format": "csv",
                    "mediatype": "text/csv",
                    "encoding": "utf-8",
                    "schema": {
                        "fields": [{"name": c, "type": "number" if c in NUMBER_COLUMNS else "string"} for c in columns],
                        "primaryKey": "id",
                    },
                }
            )
        archive.writestr("datapackage.json", json.dumps(descriptor, ensure_ascii=False, indent=2))
    return buffer.getvalue()
