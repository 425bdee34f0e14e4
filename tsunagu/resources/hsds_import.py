"""Reading HSDS 3.0 into the directory (the mapping is in tsunagu.resources.hsds).

All or nothing: every record is checked first, and one bad field anywhere means nothing
is written; each problem is reported in Japanese, naming the record and the field. A
service whose id is already in the directory updates that resource instead of adding one.
"""

import csv
import datetime as dt
import io
import json
import math
import re
import unicodedata
import zipfile
import zlib
from collections import defaultdict
from dataclasses import dataclass, field
from typing import Any

from django.core.exceptions import ValidationError
from django.core.validators import EmailValidator, URLValidator
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from tsunagu.accounts.models import Agency, District, Municipality, Staff
from tsunagu.audit.models import Action, record
from tsunagu.resources.hsds import NO_PROVIDER, STATUSES, TABLES, TAXONOMY_ID, TAXONOMY_NAME, VOCABULARIES, AreaScope
from tsunagu.resources.models import Resource, ResourceKind

# Reading ---------------------------------------------------------------------------------


class HSDSImportError(Exception):
    """The file cannot be imported; `errors` lists every problem, in Japanese."""

    def __init__(self, errors: list[str]) -> None:
        super().__init__("; ".join(errors))
        self.errors = errors


def read_file(data: bytes) -> list[dict[str, Any]]:
    """Services in the nested shape, from either an HSDS JSON file or a data package zip."""
    if data[:2] == b"PK":  # every zip starts so; JSON never does
        return read_package(data)
    return read_json(data)


def _decode(data: bytes, what: str) -> str:
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        raise HSDSImportError([_("%(what)s: 文字コードが UTF-8 ではありません。") % {"what": what}]) from error


def read_json(data: bytes) -> list[dict[str, Any]]:
    text = _decode(data, _("JSON ファイル"))
    try:
        parsed = json.loads(text)
    except json.JSONDecodeError as error:
        raise HSDSImportError(
            [
                _("JSON として読めません（%(line)s行目 %(column)s文字目: %(message)s）。")
                % {"line": error.lineno, "column": error.colno, "message": error.msg}
            ]
        ) from error
    services = parsed.get("contents") if isinstance(parsed, dict) else parsed
    if isinstance(parsed, dict) and services is None and "id" in parsed and "name" in parsed:
        services = [parsed]  # a single service object
    if not isinstance(services, list):
        raise HSDSImportError([_("HSDS のサービスの一覧（contents の配列）が見つかりません。")])
    return services


def read_package(data: bytes) -> list[dict[str, Any]]:
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
        names = set(archive.namelist())
    except (zipfile.BadZipFile, OSError) as error:
        raise HSDSImportError([_("zip ファイルとして読めません。")]) from error
    if len(names) > MAX_ENTRIES:
        raise HSDSImportError([_("zip の中のファイルが多すぎます（%(count)s個）。") % {"count": len(names)}])
    too_big = [info.filename for info in archive.infolist() if info.file_size > MAX_ENTRY_BYTES]
    if too_big:
        raise HSDSImportError(
            [_("%(name)s: 展開すると大きすぎます（20MBまで）。") % {"name": name} for name in too_big]
        )
    if "datapackage.json" not in names:
        raise HSDSImportError(
            [_("zip の中に datapackage.json がありません。HSDS の CSV データパッケージではないようです。")]
        )
    try:
        descriptor = json.loads(_decode(archive.read("datapackage.json"), "datapackage.json"))
    except json.JSONDecodeError as error:
        raise HSDSImportError([_("datapackage.json が JSON として読めません。")]) from error
    paths = {name: path for name, (path, _columns) in TABLES.items()}
    listed = descriptor.get("resources", []) if isinstance(descriptor, dict) else []
    for resource in listed if isinstance(listed, list) else []:
        if isinstance(resource, dict) and resource.get("name") in paths and isinstance(resource.get("path"), str):
            paths[resource["name"]] = resource["path"]
    if paths["service"] not in names:
        raise HSDSImportError(
            [_("データパッケージにサービスの表（%(path)s）がありません。") % {"path": paths["service"]}]
        )
    errors: list[str] = []
    tables: dict[str, list[tuple[int, dict[str, str]]]] = {}
    for name, path in paths.items():
        tables[name] = _read_csv(archive, path, errors) if path in names else []
    if errors:
        raise HSDSImportError(errors)
    return _assemble(tables, paths, errors)


def _read_csv(archive: zipfile.ZipFile, path: str, errors: list[str]) -> list[tuple[int, dict[str, str]]]:
    try:
        text = _decode(archive.read(path), path)
    except HSDSImportError as failure:
        errors.extend(failure.errors)
        return []
    try:
        rows = list(csv.DictReader(io.StringIO(text)))
    except csv.Error as error:
        errors.append(_("%(path)s: CSV として読めません（%(message)s）。") % {"path": path, "message": error})
        return []
    # Line numbers as a spreadsheet shows them: the header is line 1.
    return [(index + 2, {k: (v or "") for k, v in row.items() if k is not None}) for index, row in enumerate(rows)]


def _assemble(
    tables: dict[str, list[tuple[int, dict[str, str]]]], paths: dict[str, str], errors: list[str]
) -> list[dict[str, Any]]:
    """Put the tables back together into nested services, as the JSON shape has them."""

    def by_id(name: str) -> dict[str, dict[str, Any]]:
        return {row["id"]: dict(row) for _line, row in tables[name] if row.get("id")}

    def grouped(name: str, key: str) -> dict[str, list[dict[str, Any]]]:
        groups: dict[str, list[dict[str, Any]]] = defaultdict(list)
        for _line, row in tables[name]:
            groups[row.get(key, "")].append(dict(row))
        return groups

    taxonomies = by_id("taxonomy")
    terms = by_id("taxonomy_term")
    for term in terms.values():
        if term.get("taxonomy_id") in taxonomies:
            term["taxonomy_detail"] = taxonomies[term["taxonomy_id"]]
    units = by_id("unit")
    addresses = grouped("address", "location_id")
    locations = by_id("location")
    organizations = by_id("organization")
    attributes: dict[tuple[str, str], list[dict[str, Any]]] = defaultdict(list)
    for line, row in tables["attribute"]:
        attribute: dict[str, Any] = dict(row)
        term_id = attribute.get("taxonomy_term_id", "")
        if term_id not in terms:
            errors.append(
                _("%(path)s %(line)s行目（id: %(id)s）の taxonomy_term_id: %(terms)s にありません。")
                % {"path": paths["attribute"], "line": line, "id": row.get("id", ""), "terms": paths["taxonomy_term"]}
            )
            continue
        attribute["taxonomy_term"] = terms[term_id]
        attributes[(attribute.get("link_entity", ""), attribute.get("link_id", ""))].append(attribute)
    phones = grouped("phone", "service_id")
    schedules = grouped("schedule", "service_id")
    areas = grouped("service_area", "service_id")
    contacts = grouped("contact", "service_id")
    capacities = grouped("service_capacity", "service_id")
    links = grouped("service_at_location", "service_id")

    services = []
    for line, row in tables["service"]:
        service: dict[str, Any] = dict(row)
        service_id = row.get("id", "")
        org_id = row.get("organization_id", "")
        if org_id:
            if org_id not in organizations:
                errors.append(
                    _("%(path)s %(line)s行目（id: %(id)s）の organization_id: %(orgs)s にありません。")
                    % {"path": paths["service"], "line": line, "id": service_id, "orgs": paths["organization"]}
                )
            else:
                organization = dict(organizations[org_id])
                organization["attributes"] = attributes.get(("organization", org_id), [])
                service["organization"] = organization
        service["phones"] = phones.get(service_id, [])
        service["schedules"] = schedules.get(service_id, [])
        service["service_areas"] = [
            {**area, "attributes": attributes.get(("service_area", area.get("id", "")), [])}
            for area in areas.get(service_id, [])
        ]
        service["contacts"] = contacts.get(service_id, [])
        service["capacities"] = [
            {**capacity, "unit": units.get(capacity.get("unit_id", ""))} for capacity in capacities.get(service_id, [])
        ]
        service["service_at_locations"] = []
        for link in links.get(service_id, []):
            location_id = link.get("location_id", "")
            if location_id not in locations:
                errors.append(
                    _("%(path)s（id: %(id)s）の location_id: %(locations)s にありません。")
                    % {"path": paths["service_at_location"], "id": link.get("id", ""), "locations": paths["location"]}
                )
                continue
            location = {**locations[location_id], "addresses": addresses.get(location_id, [])}
            service["service_at_locations"].append({**link, "location": location})
        service["attributes"] = attributes.get(("service", service_id), [])
        services.append(service)
    if errors:
        raise HSDSImportError(errors)
    return services


# Checking --------------------------------------------------------------------------------


@dataclass
class Parsed:
    """One service, checked and turned into the values of a Resource."""

    service_id: str
    values: dict[str, Any]
    district_ids: list[int]
    hsds_ids: dict[str, str]
    agency: Agency | None = None
    # An agency to register first: (name, kind), when the organization is one we do not have.
    new_agency: tuple[str, str] | None = None
    position: int = 0
    errors: list[str] = field(default_factory=list)


LIMITS = {
    "name": 200,
    "description": 5000,
    "provider_name": 200,
    "conditions": 500,
    "cost": 200,
    "hours": 200,
    "phone": 30,
    "email": 254,
    "url": 200,
    "address": 300,
    "capacity": 200,
}


class _Checker:
    """Collects every problem of one service, each naming the record and the field."""

    def __init__(self, position: int, service: Any) -> None:
        self.position = position
        self.service_id = str(service.get("id", "")) if isinstance(service, dict) else ""
        self.errors: list[str] = []

    def error(self, where: str, message: str) -> None:
        self.errors.append(
            _("service %(n)s（id: %(id)s）の %(field)s: %(message)s")
            % {"n": self.position, "id": self.service_id or _("なし"), "field": where, "message": message}
        )

    def text(self, value: Any, where: str, limit: int) -> str:
        if value is None:
            return ""
        if not isinstance(value, str | int | float) or isinstance(value, bool):
            self.error(where, _("文字列ではありません"))
            return ""
        text = str(value).strip()
        if len(text) > limit:
            self.error(where, _("%(limit)s文字を超えています") % {"limit": limit})
        return text

    def age(self, value: Any, where: str) -> int | None:
        if value is None or value == "":
            return None
        number: float
        if isinstance(value, bool):
            self.error(where, _("数字ではありません"))
            return None
        if isinstance(value, int | float):
            number = value
        else:
            try:
                number = float(unicodedata.normalize("NFKC", str(value)).strip())
            except ValueError:
                self.error(where, _("数字ではありません"))
                return None
        if not math.isfinite(number) or number != int(number):
            self.error(where, _("整数ではありません"))
            return None
        if not 0 <= number <= 150:
            self.error(where, _("0から150までの数にしてください"))
            return None
        return int(number)

    def check_date(self, value: Any, where: str) -> dt.date | None:
        if value is None or value == "":
            return None
        text = str(value).strip()
        if not re.fullmatch(r"\d{4}-\d{2}-\d{2}", text):
            self.error(where, _("日付（YYYY-MM-DD）ではありません"))
            return None
        try:
            return dt.date.fromisoformat(text)
        except ValueError:
            self.error(where, _("存在しない日付です"))
            return None

    def items(self, service: dict[str, Any], name: str) -> list[dict[str, Any]]:
        value = service.get(name)
        if value is None:
            return []
        if not isinstance(value, list) or not all(isinstance(item, dict) for item in value):
            self.error(name, _("オブジェクトの配列ではありません"))
            return []
        return value


def _terms(checker: _Checker, attributes: list[dict[str, Any]], where: str) -> dict[str, list[str]]:
    """The tsunagu taxonomy's values among the attributes, by group; unknown values are errors."""
    found: dict[str, list[str]] = defaultdict(list)
    for index, attribute in enumerate(attributes):
        if not isinstance(attribute, dict):
            checker.error(f"{where}[{index}]", _("オブジェクトではありません"))
            continue
        term = attribute.get("taxonomy_term")
        if not isinstance(term, dict):
            continue
        ours = term.get("taxonomy_id") == TAXONOMY_ID or term.get("taxonomy") == TAXONOMY_NAME
        code = str(term.get("code") or "")
        if not ours or ":" not in code:
            continue
        group, value = code.split(":", 1)
        if group not in VOCABULARIES:
            checker.error(f"{where}[{index}].taxonomy_term.code", _("「%(code)s」は知らない分類です") % {"code": code})
            continue
        if value not in VOCABULARIES[group][1].values:
            checker.error(
                f"{where}[{index}].taxonomy_term.code", _("「%(code)s」は知らない分類の値です") % {"code": code}
            )
            continue
        if value not in found[group]:
            found[group].append(value)
    return found


def _district_key(name: str) -> str:
    return unicodedata.normalize("NFKC", name).strip()


def parse_services(services: list[Any], municipality: Municipality) -> list[Parsed]:
    """Check every service; raise HSDSImportError with all problems, or return them all parsed."""
    districts = {_district_key(d.name): d for d in District.objects.filter(municipality=municipality)}
    agencies = {a.name: a for a in Agency.objects.filter(municipality=municipality)}
    whole = {_district_key(municipality.name), _district_key(str(municipality))}
    errors: list[str] = []
    parsed: list[Parsed] = []
    seen: dict[str, int] = {}
    if not services:
        raise HSDSImportError([_("読み込むサービスが一件もありません。")])
    for position, service in enumerate(services, start=1):
        checker = _Checker(position, service)
        if not isinstance(service, dict):
            checker.error(_("（全体）"), _("オブジェクトではありません"))
            errors.extend(checker.errors)
            continue
        item = _parse_one(checker, service, districts, agencies, whole)
        if checker.service_id:
            if checker.service_id in seen:
                checker.error("id", _("同じ id が service %(n)s にもあります") % {"n": seen[checker.service_id]})
            else:
                seen[checker.service_id] = position
        errors.extend(checker.errors)
        if item is not None:
            item.position = position
            parsed.append(item)
    if errors:
        raise HSDSImportError(errors)
    return parsed


def _parse_one(
    checker: _Checker,
    service: dict[str, Any],
    districts: dict[str, District],
    agencies: dict[str, Agency],
    whole: set[str],
) -> Parsed | None:
    if not checker.service_id.strip():
        checker.error("id", _("ありません"))
    name = checker.text(service.get("name"), "name", LIMITS["name"])
    if not name:
        checker.error("name", _("ありません"))
    status = service.get("status")
    if status in (None, ""):
        checker.error("status", _("ありません"))
    elif status not in STATUSES:
        checker.error(
            "status",
            _("「%(value)s」は使えません（active, inactive, defunct, temporarily closed）") % {"value": status},
        )
    values: dict[str, Any] = {
        "name": name,
        "description": checker.text(service.get("description"), "description", LIMITS["description"]),
        "conditions": checker.text(
            service.get("eligibility_description"), "eligibility_description", LIMITS["conditions"]
        ),
        "cost": checker.text(service.get("fees_description"), "fees_description", LIMITS["cost"]),
        "min_age": checker.age(service.get("minimum_age"), "minimum_age"),
        "max_age": checker.age(service.get("maximum_age"), "maximum_age"),
        "last_checked_on": checker.check_date(service.get("assured_date"), "assured_date"),
        "active": status == "active",
        "email": checker.text(service.get("email"), "email", LIMITS["email"]),
        "url": checker.text(service.get("url"), "url", LIMITS["url"]),
    }
    if values["min_age"] is not None and values["max_age"] is not None and values["max_age"] < values["min_age"]:
        checker.error("maximum_age", _("minimum_age より小さくなっています"))
    if values["last_checked_on"] and values["last_checked_on"] > timezone.localdate():
        checker.error("assured_date", _("未来の日付です"))
    if values["email"]:
        try:
            EmailValidator()(values["email"])
        except ValidationError:
            checker.error("email", _("メールアドレスの形式ではありません"))
    if values["url"]:
        try:
            URLValidator()(values["url"])
        except ValidationError:
            checker.error("url", _("URL の形式ではありません"))

    attributes = checker.items(service, "attributes")
    terms = _terms(checker, attributes, "attributes")
    kinds = terms.get("kind", [])
    if len(kinds) > 1:
        checker.error("attributes", _("種類（kind）が2つ以上あります"))
    values["kind"] = kinds[0] if kinds else ResourceKind.SERVICE
    values["fields"] = terms.get("field", [])
    values["issues"] = terms.get("issue", [])

    phones = checker.items(service, "phones")
    values["phone"] = checker.text(phones[0].get("number"), "phones[0].number", LIMITS["phone"]) if phones else ""
    schedules = checker.items(service, "schedules")
    values["hours"] = (
        checker.text(schedules[0].get("description"), "schedules[0].description", LIMITS["hours"]) if schedules else ""
    )
    capacities = checker.items(service, "capacities")
    values["capacity"] = (
        checker.text(capacities[0].get("description"), "capacities[0].description", LIMITS["capacity"])
        if capacities
        else ""
    )

    district_ids: list[int] = []
    for index, area in enumerate(checker.items(service, "service_areas")):
        area_name = _district_key(str(area.get("name") or ""))
        area_attributes = area.get("attributes") or []
        scope = _terms(checker, area_attributes if isinstance(area_attributes, list) else [], "service_areas")
        if AreaScope.MUNICIPALITY in scope.get("area", []) or area_name in whole:
            continue
        if not area_name:
            checker.error(f"service_areas[{index}].name", _("ありません"))
        elif area_name not in districts:
            checker.error(
                f"service_areas[{index}].name", _("地区「%(name)s」はこの自治体にありません") % {"name": area_name}
            )
        elif districts[area_name].pk not in district_ids:
            district_ids.append(districts[area_name].pk)

    hsds_ids = {"service": checker.service_id}
    values["address"] = ""
    links = checker.items(service, "service_at_locations")
    if links:
        location = links[0].get("location")
        if not isinstance(location, dict):
            checker.error("service_at_locations[0].location", _("ありません"))
        else:
            hsds_ids["location"] = str(location.get("id") or "")
            addresses = location.get("addresses") or []
            if addresses and isinstance(addresses, list) and isinstance(addresses[0], dict):
                where = "service_at_locations[0].location.addresses[0]"
                first = checker.text(addresses[0].get("address_1"), f"{where}.address_1", LIMITS["address"])
                second = checker.text(addresses[0].get("address_2"), f"{where}.address_2", LIMITS["address"])
                values["address"] = " ".join(part for part in (first, second) if part)
                if len(values["address"]) > LIMITS["address"]:
                    checker.error(
                        f"{where}.address_2",
                        _("address_1 と合わせて%(limit)s文字を超えています") % {"limit": LIMITS["address"]},
                    )

    item = Parsed(service_id=checker.service_id, values=values, district_ids=district_ids, hsds_ids=hsds_ids)
    _provider(checker, service, item, agencies)
    return None if checker.errors else item


def _provider(checker: _Checker, service: dict[str, Any], item: Parsed, agencies: dict[str, Agency]) -> None:
    """The organization: one of our agencies (found by name, or registered when it was
    exported as one), else the provider's name; a contact names the provider inside an agency."""
    contacts = checker.items(service, "contacts")
    contact_name = (
        checker.text(contacts[0].get("name"), "contacts[0].name", LIMITS["provider_name"]) if contacts else ""
    )
    item.values["provider_agency"] = None
    item.values["provider_name"] = contact_name
    organization = service.get("organization")
    if organization is None:
        return
    if not isinstance(organization, dict):
        checker.error("organization", _("オブジェクトではありません"))
        return
    item.hsds_ids["organization"] = str(organization.get("id") or "")
    name = checker.text(organization.get("name"), "organization.name", LIMITS["provider_name"])
    if not name:
        checker.error("organization.name", _("ありません"))
        return
    attributes = organization.get("attributes") or []
    agency_kinds = _terms(checker, attributes if isinstance(attributes, list) else [], "organization.attributes")
    kind = (agency_kinds.get("agency_kind") or [""])[0]
    if name in agencies:
        item.values["provider_agency"] = item.agency = agencies[name]
    elif kind:
        item.new_agency = (name, kind)
    elif organization.get("description") == NO_PROVIDER:
        return
    else:
        item.values["provider_name"] = name


# Writing ---------------------------------------------------------------------------------


@dataclass
class ImportResult:
    created: list[Resource]
    updated: list[Resource]
    agencies: list[Agency]


def import_services(services: list[Any], municipality: Municipality, by: Staff) -> ImportResult:
    """Check everything, then write everything in one transaction: a service whose id is
    already in the directory updates that resource; the others are added."""
    parsed = parse_services(services, municipality)
    result = ImportResult(created=[], updated=[], agencies=[])
    with transaction.atomic():
        existing: dict[str, Resource] = {}
        for resource in Resource.objects.select_for_update().filter(municipality=municipality):
            existing[str(resource.code)] = resource
            if resource.hsds_ids.get("service"):
                existing[str(resource.hsds_ids["service"])] = resource
        new_agencies: dict[str, Agency] = {}
        for item in parsed:
            if item.new_agency is not None:
                name, kind = item.new_agency
                if name not in new_agencies:
                    new_agencies[name] = Agency.objects.create(municipality=municipality, name=name, kind=kind)
                    record(
                        by,
                        Action.CREATE,
                        new_agencies[name],
                        object_type="accounts.agency",
                        changes={"name": name, "kind": kind},
                        detail=_("HSDS の読み込みで登録"),
                    )
                item.values["provider_agency"] = new_agencies[name]
            _write(item, existing.get(item.service_id), municipality, by, result)
        result.agencies = list(new_agencies.values())
    return result


def _write(
    item: Parsed, resource: Resource | None, municipality: Municipality, by: Staff, result: ImportResult
) -> None:
    hsds_ids = {k: v for k, v in item.hsds_ids.items() if v}
    if resource is None:
        resource = Resource(municipality=municipality, created_by=by, hsds_ids=hsds_ids, **item.values)
        resource.save()
        resource.districts.set(item.district_ids)
        record(
            by,
            Action.CREATE,
            resource,
            changes={k: str(v) for k, v in item.values.items()},
            detail=_("HSDS の読み込み"),
        )
        result.created.append(resource)
        return
    before = {k: getattr(resource, k) for k in item.values}
    before_districts = sorted(resource.districts.values_list("pk", flat=True))
    for name, value in item.values.items():
        setattr(resource, name, value)
    resource.hsds_ids = hsds_ids
    resource.version += 1
    resource.updated_at = timezone.now()
    resource.save(update_fields=[*item.values, "hsds_ids", "version", "updated_at"])
    resource.districts.set(item.district_ids)
    changes = {k: [str(before[k]), str(v)] for k, v in item.values.items() if before[k] != v}
    if before_districts != sorted(item.district_ids):
        changes["districts"] = [str(before_districts), str(sorted(item.district_ids))]
    record(by, Action.CHANGE, resource, changes=changes, detail=_("HSDS の読み込み"))
    result.updated.append(resource)


# A zip entry larger than this, or more entries than this, is not a directory export.
MAX_ENTRY_BYTES = 20 * 1024 * 1024
MAX_ENTRIES = 50


def import_file(data: bytes, municipality: Municipality, by: Staff) -> ImportResult:
    try:
        services = read_file(data)
    except RecursionError as error:
        raise HSDSImportError([_("JSON の入れ子が深すぎて読めません。")]) from error
    except (
        zipfile.BadZipFile,
        zipfile.LargeZipFile,
        zlib.error,
        RuntimeError,
        NotImplementedError,
        OSError,
        EOFError,
    ) as error:
        # A damaged (bad CRC or broken deflate stream), encrypted or otherwise unreadable zip entry.
        raise HSDSImportError([_("zip の中のファイルが壊れているか、読めない形式です。")]) from error
    return import_services(services, municipality, by)
