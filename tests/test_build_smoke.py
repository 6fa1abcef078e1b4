from conftest import lesson_text


def test_a_minimal_lesson_builds_into_a_page_and_the_export(make_site):
    site = make_site({"2025/pm-1.md": lesson_text(
        {"title": "Checkout timeouts", "type": "postmortem", "date": "2025-03-04"})})
    assert site.ok, site.log
    assert "Checkout timeouts" in site.html("2025/pm-1/")
    assert site.json("api/lessons.json")["lessons"][0]["id"] == "pm-1"
