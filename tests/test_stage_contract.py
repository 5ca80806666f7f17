"""Contract test: every registered stage survives hostile input and keeps its promises."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from warta.core.record import Article
from warta.core.registry import load_stage_class, stage_names
from warta.core.stage import Stage, run_checked

STAGES: list[Stage] = [load_stage_class(name)() for name in stage_names()]

hostile_text = st.one_of(
    st.text(max_size=500),
    st.sampled_from(["", "\x00\x00", "\n\n\n", "KOMPAS.com - ", "(rdp/imk)", "ÃƒÂ©" * 50]),
)


@settings(max_examples=60, deadline=None)
@given(text=hostile_text, data=st.one_of(st.none(), st.binary(max_size=500)))
def test_every_stage_survives_hostile_articles(text: str, data: bytes | None) -> None:
    for stage in STAGES:
        article = Article(source="<hostile>", raw_text=text, raw_bytes=data, body=text)
        result = run_checked(stage, article)  # must never raise, nor write undeclared fields
        assert isinstance(result, Article)
        names = {stage.name} | {v.name for v in stage.variants()}
        for err in result.errors:
            assert err.stage in names and err.reason and err.message
            assert "does not declare" not in err.message, err.message


def test_every_stage_declares_a_versioned_name_and_its_contract() -> None:
    assert STAGES
    for stage in STAGES:
        assert stage.name.rsplit(".", 1)[-1].startswith("v"), stage.name
        assert stage.provides, stage.name
        assert stage.name in stage_names()
