"""HSDS 3.0 exchange: export → import loses nothing (JSON and the CSV data package),
re-importing updates instead of duplicating, and a broken file imports nothing while
naming each record and field at fault."""

import csv
import datetime as dt
import io
import json
import zipfile

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from tsunagu.accounts.models import Agency, AgencyKind, District, Municipality, Role
from tsunagu.audit.models import Action, AuditEvent
from tsunagu.conftest import make_staff
from tsunagu.resources import hsds, hsds_import
from tsunagu.resources.models import Resource
from tsunagu.resources.tests.conftest import make_resource
from tsunagu.tests.client import html


@pytest.fixture
def directory(world):
    """Resources that between them use every field, and the corner cases of providers."""
    full = make_resource(
        world,
        "入居支援と見守り付き住宅",
        kind="service",
        fields=["housing", "welfare"],
        issues=["unstable_housing", "homeless", "former_offender"],
        description="物件探しと契約の同行。\n入居後の見守りもします。",
        provider_agency=world.housing,
        provider_name="見守り担当チーム",
        districts=[world.district, world.district2],
        min_age=18,
        max_age=64,
        conditions="保証人がいない方も相談できます。",
        cost="月額2万円",
        hours="平日 9:00〜17:00",
        phone="0183-78-5522",
        email="sumai@example.jp",
        url="https://example.jp/sumai",
        address="つなぐ市西町一丁目12-1",
        capacity="見守り付き住宅 5室",
        last_checked_on=dt.date(2026, 9, 1),
    )
    named = make_resource(
        world,
        "傾聴ボランティア「こころの灯」",
        kind="people",
        fields=["health"],
        issues=["mental_health"],
        provider_name="傾聴ボランティア こころの灯",
        min_age=20,
        last_checked_on=None,
        active=False,
    )
    nobody = make_resource(
        world,
        "くらしの相談窓口ガイド",
        kind="information",
        fields=["welfare", "industry", "agriculture"],
        issues=[],
        provider_name="",
        hours="冊子は市役所1階",
        max_age=99,
    )
    agency_only = make_resource(
        world,
        "地域包括支援センター 総合相談",
        kind="professional",
        fields=["welfare"],
        issues=["care"],
        provider_agency=world.community_care,
        provider_name="",
        districts=[world.district],
    )
    return [full, named, nobody, agency_only]


@pytest.fixture
def empty_town(db):
    """Another municipality with districts of the same names and no resources or agencies
    but its centre."""
    town = Municipality.objects.create(name="うつし市", prefecture="秋田県", population=10000)
    District.objects.create(municipality=town, name="東小", number=1)
    District.objects.create(municipality=town, name="西小", number=2)
    centre = Agency.objects.create(municipality=town, name="うつし市自立相談支援センター", kind="consultation_centre")
    return town, make_staff("utsushi_chief", centre, Role.CHIEF)


def snapshot(resource):
    """Everything a resource says, in terms that do not depend on the municipality's ids."""
    agency = resource.provider_agency
    return {
        "name": resource.name,
        "kind": resource.kind,
        "fields": resource.fields,
        "issues": resource.issues,
        "description": resource.description,
        "provider_agency": (agency.name, agency.kind) if agency else None,
        "provider_name": resource.provider_name,
        "districts": sorted(d.name for d in resource.districts.all()),
        "min_age": resource.min_age,
        "max_age": resource.max_age,
        "conditions": resource.conditions,
        "cost": resource.cost,
        "hours": resource.hours,
        "phone": resource.phone,
        "email": resource.email,
        "url": resource.url,
        "address": resource.address,
        "capacity": resource.capacity,
        "last_checked_on": resource.last_checked_on,
        "active": resource.active,
    }


def snapshots(town):
    return sorted((snapshot(r) for r in Resource.objects.filter(municipality=town)), key=lambda s: s["name"])


def without_capacity_times(services):
    for service in services:
        for capacity in service["capacities"]:
            capacity.pop("updated")
    return services


# Round trips ----------------------------------------------------------------------------------


def test_json_round_trip_into_an_empty_municipality_loses_nothing(world, directory, empty_town):
    town, chief = empty_town
    exported = hsds.export_json(world.town)

    result = hsds_import.import_file(exported, town, chief)

    assert len(result.created) == 4
    assert not result.updated
    assert snapshots(town) == snapshots(world.town)
    # The agencies it did not have were registered, with their kind.
    assert set(Agency.objects.filter(municipality=town).values_list("name", "kind")) == {
        ("うつし市自立相談支援センター", "consultation_centre"),
        ("居住支援法人あんしん", "housing_support_corporation"),
        ("つなぐ市地域包括支援センター", "community_care_centre"),
    }
    # Exporting again gives the same services, ids included (the round trip is a fixed
    # point), but for the town's own name where a service serves the whole town.
    again = json.loads(hsds.export_json(town).decode().replace("うつし市", "つなぐ市"))["contents"]
    assert without_capacity_times(again) == without_capacity_times(json.loads(exported)["contents"])


def test_csv_package_round_trip_into_an_empty_municipality_loses_nothing(world, directory, empty_town):
    town, chief = empty_town
    package = hsds.export_package(world.town)

    with zipfile.ZipFile(io.BytesIO(package)) as archive:
        names = set(archive.namelist())
        descriptor = json.loads(archive.read("datapackage.json"))
    assert {
        "datapackage.json",
        "organizations.csv",
        "services.csv",
        "locations.csv",
        "service_at_locations.csv",
    } <= names
    assert {"taxonomies.csv", "taxonomy_terms.csv", "attributes.csv", "service_areas.csv", "schedules.csv"} <= names
    assert descriptor["profile"] == "tabular-data-package"
    assert {r["name"] for r in descriptor["resources"]} >= {"organization", "service", "location", "attribute"}

    result = hsds_import.import_file(package, town, chief)

    assert len(result.created) == 4
    assert snapshots(town) == snapshots(world.town)


def test_the_json_is_the_specifications_shape(world, directory):
    page = json.loads(hsds.export_json(world.town))
    assert page["total_items"] == 4
    service = next(s for s in page["contents"] if s["name"] == "入居支援と見守り付き住宅")
    assert service["status"] == "active"
    assert service["minimum_age"] == 18
    assert service["maximum_age"] == 64
    assert service["assured_date"] == "2026-09-01"
    assert service["fees_description"] == "月額2万円"
    assert service["eligibility_description"] == "保証人がいない方も相談できます。"
    assert service["organization"]["name"] == "居住支援法人あんしん"
    assert service["organization_id"] == service["organization"]["id"]
    assert [a["name"] for a in service["service_areas"]] == ["東小", "西小"]
    assert service["schedules"][0]["description"] == "平日 9:00〜17:00"
    assert service["phones"][0]["number"] == "0183-78-5522"
    location = service["service_at_locations"][0]["location"]
    assert location["addresses"][0]["address_1"] == "つなぐ市西町一丁目12-1"
    assert service["capacities"][0]["available"] == 5
    assert service["capacities"][0]["unit"]["name"] == "枠"
    codes = sorted(a["taxonomy_term"]["code"] for a in service["attributes"])
    assert codes == [
        "field:housing",
        "field:welfare",
        "issue:former_offender",
        "issue:homeless",
        "issue:unstable_housing",
        "kind:service",
    ]
    nobody = next(s for s in page["contents"] if s["name"] == "くらしの相談窓口ガイド")
    assert [a["name"] for a in nobody["service_areas"]] == ["つなぐ市"]


def test_reimporting_updates_the_same_services_instead_of_duplicating(world, directory):
    page = json.loads(hsds.export_json(world.town))
    service = next(s for s in page["contents"] if s["name"] == "入居支援と見守り付き住宅")
    service["name"] = "入居支援（改称）"
    service["maximum_age"] = 70

    result = hsds_import.import_file(json.dumps(page).encode(), world.town, world.chief)

    assert len(result.updated) == 4
    assert not result.created
    assert Resource.objects.filter(municipality=world.town).count() == 4
    directory[0].refresh_from_db()
    assert directory[0].name == "入居支援（改称）"
    assert directory[0].max_age == 70
    assert directory[0].version == 2
    assert directory[0].hsds_ids["service"] == str(directory[0].code)
    change = AuditEvent.objects.get(action=Action.CHANGE, object_code=str(directory[0].code))
    assert change.changes["name"] == ["入居支援と見守り付き住宅", "入居支援（改称）"]

    # Once more, from a package: still four.
    hsds_import.import_file(hsds.export_package(world.town), world.town, world.chief)
    assert Resource.objects.filter(municipality=world.town).count() == 4


def test_exports_hold_no_personal_data(client, world, directory):
    client.force_login(world.consultant)
    for name in ["resources:export_json", "resources:export_package"]:
        response = client.get(reverse(name))
        assert response.status_code == 200
        assert "attachment" in response["Content-Disposition"]
        content = response.content
        if name.endswith("package"):
            with zipfile.ZipFile(io.BytesIO(content)) as archive:
                content = b"".join(archive.read(n) for n in archive.namelist())
        text = content.decode()
        for personal in ["山田", "太郎", "秘匿", "0183-72-1234", "chief", "consultant", "佐藤 主任"]:
            assert personal not in text, (name, personal)
    events = AuditEvent.objects.filter(action=Action.EXPORT, actor=world.consultant)
    assert events.count() == 2
    assert {e.detail for e in events} == {"HSDS json、4件", "HSDS zip、4件"}


# Broken files ---------------------------------------------------------------------------------


def broken(world, changes):
    page = json.loads(hsds.export_json(world.town))
    for (position, key), value in changes.items():
        page["contents"][position][key] = value
    return page


def assert_nothing_imported(town, before):
    assert Resource.objects.filter(municipality=town).count() == before
    assert not AuditEvent.objects.filter(action=Action.CREATE, object_type="resources.resource").exists()


def import_errors(data, town, by):
    with pytest.raises(hsds_import.HSDSImportError) as failure:
        hsds_import.import_file(data, town, by)
    return failure.value.errors


def test_a_broken_json_file_imports_nothing_and_names_each_record_and_field(world, directory, empty_town):
    town, chief = empty_town
    page = json.loads(hsds.export_json(world.town))
    ids = [s["id"] for s in page["contents"]]
    page["contents"][1]["minimum_age"] = "abc"
    page["contents"][0]["assured_date"] = "2026-13-01"
    page["contents"][2]["service_areas"] = [{"id": "x", "name": "南小"}]
    page["contents"][3]["id"] = ids[0]
    page["contents"][1]["name"] = ""
    page["contents"][2]["status"] = "closed"
    page["contents"][1]["maximum_age"] = 12.5

    errors = import_errors(json.dumps(page).encode(), town, chief)

    assert errors == [
        f"service 1（id: {ids[0]}）の assured_date: 存在しない日付です",
        f"service 2（id: {ids[1]}）の name: ありません",
        f"service 2（id: {ids[1]}）の minimum_age: 数字ではありません",
        f"service 2（id: {ids[1]}）の maximum_age: 整数ではありません",
        f"service 3（id: {ids[2]}）の status: 「closed」は使えません（active, inactive, defunct, temporarily closed）",
        f"service 3（id: {ids[2]}）の service_areas[0].name: 地区「南小」はこの自治体にありません",
        f"service 4（id: {ids[0]}）の id: 同じ id が service 1 にもあります",
    ]
    assert_nothing_imported(town, 0)
    assert Agency.objects.filter(municipality=town).count() == 1


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (b'{"contents": [', "JSON として読めません（1行目 15文字目"),
        (b'{"services": []}', "HSDS のサービスの一覧（contents の配列）が見つかりません。"),
        (b'{"contents": []}', "読み込むサービスが一件もありません。"),
        ('{"contents": [1]}'.encode("utf-16"), "文字コードが UTF-8 ではありません"),
        (b"PK\x03\x04 not really a zip", "zip ファイルとして読めません。"),
    ],
)
def test_unreadable_files_are_refused_with_a_reason(world, empty_town, data, message):
    town, chief = empty_town
    errors = import_errors(data, town, chief)
    assert len(errors) == 1
    assert message in errors[0]
    assert_nothing_imported(town, 0)


def test_a_json_date_in_the_wrong_format_and_a_bad_term_are_named(world, directory, empty_town):
    town, chief = empty_town
    page = json.loads(hsds.export_json(world.town))
    first = page["contents"][0]
    first["assured_date"] = "令和8年9月1日"
    first["attributes"][0]["taxonomy_term"]["code"] = "kind:castle"
    first["email"] = "not-an-address"

    errors = import_errors(json.dumps(page).encode(), town, chief)

    sid = first["id"]
    assert errors == [
        f"service 1（id: {sid}）の assured_date: 日付（YYYY-MM-DD）ではありません",
        f"service 1（id: {sid}）の email: メールアドレスの形式ではありません",
        f"service 1（id: {sid}）の attributes[0].taxonomy_term.code: 「kind:castle」は知らない分類の値です",
    ]


def rewrite_package(package, path, edit):
    """The package with one CSV rewritten by `edit(rows)`."""
    source = zipfile.ZipFile(io.BytesIO(package))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as target:
        for name in source.namelist():
            data = source.read(name)
            if name == path:
                rows = list(csv.reader(io.StringIO(data.decode())))
                edit(rows)
                text = io.StringIO()
                csv.writer(text).writerows(rows)
                data = text.getvalue().encode()
            target.writestr(name, data)
    return out.getvalue()


def test_a_broken_csv_package_imports_nothing_and_names_the_record(world, directory, empty_town):
    town, chief = empty_town
    package = hsds.export_package(world.town)

    def bad_age(rows):
        column = rows[0].index("maximum_age")
        rows[2][column] = "六十"

    errors = import_errors(rewrite_package(package, "services.csv", bad_age), town, chief)
    rows = list(csv.DictReader(io.StringIO(zipfile.ZipFile(io.BytesIO(package)).read("services.csv").decode())))
    assert errors == [f"service 2（id: {rows[1]['id']}）の maximum_age: 数字ではありません"]

    def dangling_term(rows):
        rows[1][rows[0].index("taxonomy_term_id")] = "no-such-term"

    errors = import_errors(rewrite_package(package, "attributes.csv", dangling_term), town, chief)
    assert len(errors) == 1
    assert errors[0].startswith("attributes.csv 2行目（id: ")
    assert errors[0].endswith("の taxonomy_term_id: taxonomy_terms.csv にありません。")
    assert_nothing_imported(town, 0)


def test_a_zip_that_is_not_a_data_package_is_refused(world, empty_town):
    town, chief = empty_town
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        archive.writestr("readme.txt", "hello")
    errors = import_errors(out.getvalue(), town, chief)
    assert errors == ["zip の中に datapackage.json がありません。HSDS の CSV データパッケージではないようです。"]


def test_external_hsds_without_our_taxonomy_reads_with_defaults(world, empty_town):
    town, chief = empty_town
    service = {
        "id": "ac148810-d857-441c-9679-408f346de14b",
        "name": "Community Counselling",
        "status": "active",
        "minimum_age": "12",
        "organization": {"id": "d9d5e0f5", "name": "Example Organization", "description": "x"},
        "service_areas": [{"id": "a1", "name": "東小"}],
    }
    result = hsds_import.import_file(json.dumps([service]).encode(), town, chief)
    resource = result.created[0]
    assert resource.kind == "service"
    assert resource.provider_name == "Example Organization"
    assert resource.provider_agency is None
    assert resource.min_age == 12
    assert [d.name for d in resource.districts.all()] == ["東小"]
    assert resource.hsds_ids == {"service": "ac148810-d857-441c-9679-408f346de14b", "organization": "d9d5e0f5"}


# Through the screens ---------------------------------------------------------------------------


def test_import_screen_lists_the_errors_and_saves_nothing(client, world, directory):
    page = broken(world, {(0, "minimum_age"): "x"})
    client.force_login(world.consultant)
    upload = SimpleUploadedFile("resources.json", json.dumps(page).encode(), content_type="application/json")

    response = client.post(reverse("resources:import"), {"file": upload})

    assert response.status_code == 422
    text = html(response)
    assert "1件の問題があったため、何も読み込みませんでした" in text
    assert f"service 1（id: {page['contents'][0]['id']}）の minimum_age: 数字ではありません" in text
    assert Resource.objects.filter(municipality=world.town).count() == 4


def test_import_screen_adds_and_updates(client, world, directory):
    page = json.loads(hsds.export_json(world.town))
    page["contents"].append({**page["contents"][0], "id": "new-service-1", "name": "新しいサービス", "attributes": []})
    client.force_login(world.consultant)
    upload = SimpleUploadedFile("resources.json", json.dumps(page).encode(), content_type="application/json")

    response = client.post(reverse("resources:import"), {"file": upload}, follow=True)

    assert "読み込みました：1件を追加、4件を更新しました。" in html(response)
    created = Resource.objects.get(name="新しいサービス")
    assert created.created_by == world.consultant
    assert AuditEvent.objects.filter(action=Action.CREATE, object_code=str(created.code)).exists()


def test_import_without_a_file_says_so(client, world):
    client.force_login(world.consultant)
    response = client.post(reverse("resources:import"), {})
    assert response.status_code == 422
    assert "読み込むファイルを選んでください。" in html(response)


@pytest.mark.parametrize("who", ["partner", "officer", "district_chief"])
def test_only_centre_staff_exchange_the_directory(client, world, directory, who):
    client.force_login(getattr(world, who))
    for name in ["resources:export_json", "resources:export_package", "resources:import"]:
        response = client.get(reverse(name))
        assert response.status_code == 403
        assert "入居支援" not in html(response)
    upload = SimpleUploadedFile("x.json", hsds.export_json(world.town))
    assert client.post(reverse("resources:import"), {"file": upload}).status_code == 403
    assert not AuditEvent.objects.filter(action=Action.EXPORT).exists()


def test_the_outsider_exports_only_their_own_town(client, world, directory):
    client.force_login(world.outsider)
    page = json.loads(client.get(reverse("resources:export_json")).content)
    assert page["contents"] == []


def test_agency_kinds_survive_the_trip(world, empty_town):
    town, chief = empty_town
    food_bank = Agency.objects.create(municipality=world.town, name="フードバンクつなぐ", kind=AgencyKind.FOOD_BANK)
    make_resource(world, "緊急食料", provider_agency=food_bank, provider_name="")
    hsds_import.import_file(hsds.export_package(world.town), town, chief)
    assert Agency.objects.get(municipality=town, name="フードバンクつなぐ").kind == AgencyKind.FOOD_BANK


# Hostile or damaged files: a message, never a 500 ---------------------------------------------


def one_service(world, **fields):
    service = json.loads(hsds.export_json(world.town))["contents"][0]
    service.update(fields)
    return json.dumps({"contents": [service]}).encode()


@pytest.mark.parametrize(
    ("fields", "message"),
    [
        ({"minimum_age": "1e999"}, "の minimum_age: 整数ではありません"),
        ({"minimum_age": "nan"}, "の minimum_age: 整数ではありません"),
        ({"attributes": [5]}, "の attributes: オブジェクトの配列ではありません"),
    ],
)
def test_malformed_values_are_named_by_record_and_field(world, directory, empty_town, fields, message):
    town, chief = empty_town
    errors = import_errors(one_service(world, **fields), town, chief)
    assert any(message in error for error in errors), errors
    assert_nothing_imported(town, 0)


def test_attributes_of_an_area_or_organization_that_are_not_objects_are_named(world, directory, empty_town):
    town, chief = empty_town
    service = json.loads(hsds.export_json(world.town))["contents"][0]
    service["organization"]["attributes"] = ["x"]
    errors = import_errors(json.dumps({"contents": [service]}).encode(), town, chief)
    assert any("organization.attributes[0]: オブジェクトではありません" in e for e in errors), errors
    assert_nothing_imported(town, 0)


def test_deeply_nested_json_is_refused(world, empty_town):
    town, chief = empty_town
    errors = import_errors(b"[" * 100_000 + b"]" * 100_000, town, chief)
    assert errors == ["JSON の入れ子が深すぎて読めません。"]
    assert_nothing_imported(town, 0)


def test_a_package_whose_resources_are_not_a_list_reads_by_the_default_names(world, directory, empty_town):
    town, chief = empty_town
    package = hsds.export_package(world.town)
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(package)) as source, zipfile.ZipFile(out, "w") as target:
        for info in source.infolist():
            body = b'{"resources": 5}' if info.filename == "datapackage.json" else source.read(info.filename)
            target.writestr(info.filename, body)
    result = hsds_import.import_file(out.getvalue(), town, chief)
    assert len(result.created) == Resource.objects.filter(municipality=world.town).count()


def test_a_damaged_zip_entry_is_refused_wherever_the_damage_is(world, directory, empty_town):
    """A byte flipped in an entry's compressed data makes zipfile raise a bad CRC
    (BadZipFile) or a broken deflate stream (zlib.error) depending on where it falls:
    both are refused with one message, never a 500. Every 7th byte is tried, so both
    kinds occur whatever the export's random codes compress to."""
    town, chief = empty_town
    package = bytes(hsds.export_package(world.town))
    with zipfile.ZipFile(io.BytesIO(package)) as archive:
        info = archive.getinfo("services.csv")
    start = info.header_offset + 30 + len(info.filename.encode()) + len(info.extra)
    kinds = set()
    for offset in range(0, info.compress_size, 7):
        damaged = bytearray(package)
        damaged[start + offset] ^= 0xFF
        try:
            with zipfile.ZipFile(io.BytesIO(bytes(damaged))) as archive:
                archive.read("services.csv")
            continue  # a flip zipfile cannot notice (the CRC still matches): nothing to refuse
        except Exception as error:  # which kind of damage this flip made
            kinds.add(type(error).__name__)
        errors = import_errors(bytes(damaged), town, chief)
        assert errors == ["zip の中のファイルが壊れているか、読めない形式です。"], offset
    assert {"BadZipFile", "error"} <= kinds
    assert_nothing_imported(town, 0)
