"""OneRoster 1.1 CSV zips for the roster tests, built from the published column tables.

`coordinators.roster.samples` builds a clean district roster (the demo uses it too); `messy_roster`
adds what real student information systems send: a BOM, quoted commas and line breaks, extra vendor
columns, enabledUser as TRUE or 1, grades as KG, 01, PK and 13, a teacher in two schools.
"""

from __future__ import annotations

from coordinators.roster.samples import RosterFiles, sample_roster
from data_reviews.scores.importing import Upload


def upload(files: RosterFiles, name: str = "oneroster.zip") -> Upload:
    return Upload(name, files.zip())


def messy_roster() -> RosterFiles:
    roster = RosterFiles(bom=True)
    roster.add("orgs", sourcedId="d1", name="Maple Valley", type="district", vendorRegion="North")
    roster.add(
        "orgs", sourcedId="o1", name="Lakeside Elementary, North Campus", type="school", identifier="101",
        parentSourcedId="d1", vendorRegion="North",
    )  # fmt: skip
    roster.add(
        "orgs", sourcedId="o2", name="Hilltop Middle", type="SCHOOL", identifier="102", parentSourcedId="d1"
    )
    roster.add(
        "users", sourcedId="u1", enabledUser="TRUE", orgSourcedIds="o1", role="student", username="ann",
        givenName="Ann", familyName="O'Neil, Jr.", identifier="5001", grades="KG",
    )  # fmt: skip
    roster.add(
        "users", sourcedId="u2", enabledUser="1", orgSourcedIds="o2", role="student", username="bo",
        givenName="Bo", familyName="Line\nBreak", identifier="5002", grades="01",
    )  # fmt: skip
    roster.add(
        "users", sourcedId="u3", enabledUser="true", orgSourcedIds="o1", role="student", username="cy",
        givenName="Cy", familyName="Pre", identifier="", grades="PK",
    )  # fmt: skip
    roster.add(
        "users", sourcedId="u4", enabledUser="false", orgSourcedIds="o2", role="student", username="di",
        givenName="Di", familyName="Thirteen", identifier="5004", grades="13",
    )  # fmt: skip
    roster.add(
        "users", sourcedId="t1", enabledUser="true", orgSourcedIds="o1,o2", role="teacher", username="tea",
        givenName="Tess", familyName="Both", identifier="T1", email="Tess.Both@Example.org",
    )  # fmt: skip
    roster.add("courses", sourcedId="c1", title="Reading, Grade K", courseCode="RK", orgSourcedId="o1")
    roster.add(
        "classes", sourcedId="k1", title="Reading K, Room 4", courseSourcedId="c1", classCode="RK-4",
        classType="scheduled", schoolSourcedId="o1", grades="KG,01", subjects="Reading",
    )  # fmt: skip
    for n, user in enumerate(("u1", "u2", "u3"), start=1):
        roster.add(
            "enrollments", sourcedId=f"e{n}", classSourcedId="k1", schoolSourcedId="o1", userSourcedId=user,
            role="student", primary="false", beginDate="2025-08-20",
        )  # fmt: skip
    roster.add(
        "enrollments", sourcedId="e9", classSourcedId="k1", schoolSourcedId="o1", userSourcedId="t1",
        role="teacher", primary="TRUE",
    )  # fmt: skip
    roster.add(
        "demographics", sourcedId="u1", birthDate="2020-03-04", sex="female",
        hispanicOrLatinoEthnicity="true", white="true", ell="Y", iep="N", frl="Y",
    )  # fmt: skip
    roster.add("demographics", sourcedId="u2", sex="Male", asian="TRUE", white="1", ell="N", iep="Y", frl="N")
    roster.add("demographics", sourcedId="u3", sex="male", blackOrAfricanAmerican="true")
    return roster


__all__ = ["RosterFiles", "messy_roster", "sample_roster", "upload"]
