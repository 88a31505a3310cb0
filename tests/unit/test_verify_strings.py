"""The levée de doute's words: every key alarm-verify.js uses exists in both languages, including the
ones it builds from a method, outcome, threat or findings; its logbook messages render in both."""

from __future__ import annotations

import re
from pathlib import Path

from tocsin.domain import verification as v
from tocsin.domain.avs import THREATS
from tocsin.i18n.catalogue import LANGUAGES, MESSAGES, render
from tocsin.i18n.ui import UI
from tocsin.i18n.verification import PDF

SCRIPT = Path(__file__).resolve().parents[2] / "src" / "tocsin" / "web" / "static" / "alarm-verify.js"
SCRIPT_KEY = re.compile(r"""\bT\(\s*["']([\w.]+)["']\s*[,)]""")


def test_the_script_uses_only_defined_keys_and_the_built_ones_exist() -> None:
    """T("…") keys, and verify.<method>, verify.outcome_<x>, verify.threat_<x>, verify.findings_<x>."""
    used = set(SCRIPT_KEY.findall(SCRIPT.read_text()))
    assert used
    built = {f"verify.{m}" for m in v.METHODS}
    built |= {f"verify.outcome_{o}" for o in v.OUTCOMES}
    built |= {f"verify.threat_{t}" for t in THREATS if t != "none"}
    built |= {f"verify.findings_{f}" for f in v.FINDINGS}
    assert sorted((used | built) - set(UI)) == []


def test_the_messages_and_the_pdf_labels_read_in_both_languages() -> None:
    """Each entry of the levée de doute renders in English and French, its words translated."""
    params = {
        "by": "Ann", "alarm_class": "intrusion", "site_ref": "A1", "method": "video", "outcome": "confirmed",
        "avs_score": 3, "responder": "Ronde 11", "eta": "-", "findings": "nothing_found", "partner_name": "P",
        "service": "police", "score": 3, "basis": "verified: guard", "reference": "R-1",
    }  # fmt: skip
    for key in ("alarm.verified", "alarm.dispatched", "alarm.dispatch_arrived", "alarm.dispatch_findings",
                "alarm.authority_requested"):  # fmt: skip
        assert set(MESSAGES[key]) == set(LANGUAGES)
        for language in LANGUAGES:
            assert "{" not in render(key, params, language), (key, language)
    assert "vidéo" in render("alarm.verified", params, "fr")
    assert "rien à signaler" in render("alarm.dispatch_findings", params, "fr")
    for key, texts in PDF.items():
        assert set(texts) == set(LANGUAGES), key
