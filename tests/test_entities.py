"""Entity mentions and the entities table."""
import re
from pathlib import Path

import pytest

from newsbrief import schemas
from newsbrief.extract import entities
from _semantic_helpers import KESTREL, SEEDS, load_dir, split
from scaling import assert_linear


def _mentions(text, company="Acme AI", aid="t1"):
    return entities.extract_mentions(split(aid, text), company)


def _names(rows, kind=None):
    return {r["name"] for r in rows if kind is None or r["kind"] == kind}


@pytest.fixture(scope="module")
def seeds():
    texts, sents = load_dir(SEEDS)
    rows = entities.extract_mentions(sents, "DeepSeek")
    return texts, rows, entities.build_entities(rows)


def test_offsets_are_verbatim(seeds):
    texts, rows, _ = seeds
    for r in rows:
        assert texts[r["article_id"]][r["start"]:r["end"]] == r["quote"]


def test_people_roles_and_organisations(seeds):
    _, _, ents = seeds
    people = ents[ents.kind == "person"].set_index("name")
    assert {"Liang Wenfeng", "Alexandr Wang", "Zihan Wang", "Li Qiang", "Clem Delangue",
            "Elon Musk", "Amber Kanwar", "Robin Li", "Sam Altman"} <= set(people.index)
    assert "CEO" in people.at["Alexandr Wang", "role"]
    assert people.at["Alexandr Wang", "organisation"] == "Scale AI"
    assert people.at["Clem Delangue", "organisation"] == "Hugging Face"
    assert people.at["Zihan Wang", "role"] == "former employee"
    assert people.at["Li Qiang", "role"] == "premier"
    assert "founder" in people.at["Liang Wenfeng", "role"]
    assert "DeepSeek" in people.at["Liang Wenfeng", "organisation"]


def test_model_aliases_merge(seeds):
    _, rows, ents = seeds
    r1 = {r["quote"] for r in rows if r["name"] == "DeepSeek-R1"}
    assert {"R1", "DeepSeek-R1", "DeepSeek R1"} <= r1
    models = set(ents[ents.kind == "model"]["name"])
    assert {"DeepSeek-V3", "DeepSeek-Coder-V2", "DeepSeek-R1-Distill", "OpenAI o1", "GPT-4o",
            "Llama"} <= models
    assert "DeepSeek" in set(ents[ents.is_subject]["name"])


def test_surname_resolution_by_nearest_previous_full_mention(seeds):
    _, rows, _ = seeds
    wang = [r for r in rows if r["quote"] == "Wang"]
    by_article = {r["article_id"][:3]: r["name"] for r in wang}
    assert by_article["002"] == "Alexandr Wang"
    assert by_article["004"] == "Zihan Wang"
    liang = {r["name"] for r in rows if r["quote"] in ("Liang", "Wenfeng")}
    assert liang == {"Liang Wenfeng"}


def test_ambiguous_surname_without_previous_mention_is_left_out():
    text = ("Wang said nothing. Scale AI CEO Alexandr Wang said it. "
            "Zihan Wang, a former Acme AI employee, said more.")
    rows = _mentions(text)
    assert not [r for r in rows if r["quote"] == "Wang" and r["start"] == 0]


def test_subject_variants_possessive_case_and_hashtag():
    text = "ACME AI's launch worried rivals. Fears of #AcmeAI grew, and Acme AI’s app rose."
    rows = _mentions(text, company="Acme AI")
    subj = [r for r in rows if r["is_subject"]]
    assert len(subj) >= 2
    assert all(not r["quote"].endswith("s") for r in subj)


def test_chips_programmes_government_outlets():
    text = ("The White House announced the Stargate Project. The Commerce Department banned "
            "sales of Nvidia H20 chips, Reuters reported, while AMD MI300X parts were allowed.")
    rows = _mentions(text)
    kinds = {(r["name"], r["kind"]) for r in rows}
    assert ("White House", "government") in kinds
    assert ("Stargate Project", "programme") in kinds
    assert ("Commerce Department", "government") in kinds
    assert ("H20", "chip") in kinds and ("MI300X", "chip") in kinds
    assert ("Reuters", "outlet") in kinds


def test_public_bodies_and_unions_are_organisations_never_people():
    text = ("The Norvik Maritime Authority said it would look into the claims. The Federal Trade "
            "Commission declined to comment. The Nordic Dockers' Union said crews were tired. "
            "Tarnby Markets said the forecast was optimistic.")
    rows = _mentions(text)
    kinds = {(r["name"], r["kind"]) for r in rows}
    assert ("Norvik Maritime Authority", "government") in kinds
    assert ("Federal Trade Commission", "government") in kinds
    assert ("Nordic Dockers' Union", "organisation") in kinds
    assert not _names(rows, "person")


def test_org_suffix_and_intro_discovery():
    text = ("The firm has its roots in Blue Heron Capital Management, a fund. "
            "Later the hedge fund Blue Heron invested again.")
    ents = entities.build_entities(_mentions(text))
    heron = ents[ents.name == "Blue Heron"]
    assert len(heron) == 1 and heron.iloc[0]["n_mentions"] == 2


def test_no_people_from_capitalised_phrases_without_context():
    text = ("It uses Multi-Head Latent Attention and Graphics Processing Units. "
            "Silicon Valley executives praised Artificial General Intelligence.")
    assert not _names(_mentions(text), "person")


def test_kestrel_fixture_has_no_seed_names():
    texts, sents = load_dir(KESTREL)
    rows = entities.extract_mentions(sents, "Kestrel AI")
    ents = entities.build_entities(rows)
    blob = " ".join(ents["name"]) + " " + " ".join(ents["aliases"])
    assert not re.search(r"DeepSeek|Liang|High-Flyer", blob)
    people = set(ents[ents.kind == "person"]["name"])
    assert {"Camille Durand", "Yusuf Okafor", "Marc Lefebvre"} <= people
    models = set(ents[ents.kind == "model"]["name"])
    assert {"Kestrel-2", "Kestrel-Nano"} <= models
    assert ents[ents.is_subject]["name"].tolist() == ["Kestrel AI"]


def test_adversarial_input_is_linear():
    def nasty(n: int) -> str:  # n = 500: 4000 "Aaaa ", 3000 "A-", ... as one sentence
        return ("Aaaa " * (8 * n) + "A-" * (6 * n) + "CEO " * (4 * n) + "Zz, the CEO of " * n
                + "#" * (10 * n) + "DeepSeek-" * (4 * n))

    def run(text: str):
        entities.extract_mentions([{"sentence_id": "snt-x-1", "article_id": "x", "start": 0,
                                    "end": len(text), "quote": text, "kind": "body"}], "DeepSeek")
    assert_linear(run, nasty, 500)


def test_code_has_no_seed_names():
    src = Path(schemas.__file__).parent
    for name in ("schemas.py", *(f"{stage}/{p.name}" for stage in ("extract", "link", "evidence")
                                  for p in (src / stage).glob("*.py"))):
        code = (src / name).read_text(encoding="utf-8")
        assert not re.search(r"DeepSeek|Liang|High-Flyer", code), name


# ------------------------------------------------------------- model ownership (issue 9)

def _owners(text, company="Acme AI"):
    ents = entities.build_entities(_mentions(text, company))
    models = ents[ents["kind"] == "model"]
    return dict(zip(models["name"], models["owner"]))


def test_model_owners_from_the_text_and_general_knowledge():
    owners = _owners(
        "Acme AI released its R1 model on Monday. Acme AI's R1 is cheaper than OpenAI's o1, and "
        "it beat Meta's Llama 3 and Anthropic's Claude 3.7 Sonnet on coding tests. The company "
        "said R1 was trained on its own data.")
    assert owners["Acme AI-R1"] == "Acme AI"
    assert owners["OpenAI o1"] == "OpenAI"
    assert owners["Llama"] == "Meta" and owners["Claude"] == "Anthropic"
    assert "3.7" not in " ".join(owners)   # a version number is part of a name, never a model


def test_models_found_by_kind_noun_with_owner_from_its_possessive_and_verbs():
    owners = _owners(
        "Orvane Motors cut the price of its Sable sedan by 8% on Friday. The Lark SUV now starts "
        "at 189,800 yuan, the company said. An Orvane Wren hatchback was on display. Rival "
        "Tesla's Model Y starts at 249,900 yuan. Quillfern said its flagship model, Fern-2, "
        "would be replaced.", company="Orvane Motors")
    assert owners["Sable"] == "Orvane Motors"
    assert owners["Wren"] == "Orvane Motors"     # the company's name before the model's
    assert owners["Model Y"] == "Tesla"
    assert owners["Lark"] == ""                  # "the Lark SUV": whose is not said here
    assert owners["Fern-2"] == ""   # "Quillfern said its": a name the gazetteers lack, not Tesla
    assert "Orvane" not in owners


def test_its_model_is_the_company_s_when_the_sentence_names_it_and_apposition_forms():
    owners = _owners(
        "Quillfern AI raised $120 million from Maplestone Capital as it launched its largest "
        "model yet, Fern 4. Fern 3.5, its most capable model last year, is cheaper than GPT-4o.",
        company="Quillfern AI")
    assert owners["Fern 4"] == "Quillfern AI"     # not the investor named nearer to "its"
    assert owners["Fern 3.5"] == "Quillfern AI"   # "its" carried to the article's last organisation
    assert owners["GPT-4o"] == "OpenAI"


def test_kind_nouns_do_not_make_models_of_organisations_or_adjectives():
    owners = _owners(
        "Chinese AI models are cheap, the China Passenger Car Association said. A Canadian AI "
        "model developer raised money.", company="Orvane Motors")
    assert owners == {}


def test_seed_models_owned_by_their_makers(seeds):
    _, _, ents = seeds
    models = ents[ents["kind"] == "model"]
    owner = dict(zip(models["name"], models["owner"]))
    assert owner["DeepSeek-R1"] == owner["DeepSeek-V3"] == "DeepSeek"
    assert owner["OpenAI o1"] == "OpenAI" and owner["Llama"] == "Meta"
    assert owner["GPT-4o"] == "OpenAI"


@pytest.mark.parametrize("text, person, role, organisation", [
    # a modifier before the role, and a place after the firm
    ("The plant could be late, said Matthias Brandt, an automotive analyst at Kellner Research in "
     "Munich.", "Matthias Brandt", "analyst", "Kellner Research"),
    # "director of enforcement" names no organisation: the possessor does
    ('"Controls did not keep up," said Helen Marsh, the FCA\'s director of enforcement.',
     "Helen Marsh", "director", "FCA"),
    # an officer's title without the company's name: the company the previous sentence names
    ("Acme AI said revenue rose. Chief financial officer Tomás Arregui said the quarter was quiet.",
     "Tomás Arregui", "chief financial officer", "Acme AI"),
    # an officer of a drug maker's kind
    ('Acme AI said the data were sound. "No patient was harmed," chief medical officer Sofie Brandt '
     "said.", "Sofie Brandt", "chief medical officer", "Acme AI"),
    # two titles, and a place before the company's full name
    ("The regulator charged Dana Holt, CEO and Chairman of Boston-based Acme AI Inc., with fraud.",
     "Dana Holt", "CEO", "Acme AI"),
])
def test_roles_and_organisations_in_the_forms_outlets_write(text, person, role, organisation):
    rows = [r for r in _mentions(text) if r["name"] == person]
    assert rows, _names(_mentions(text), "person")
    assert (rows[0]["role"], rows[0]["organisation"]) == (role, organisation)


def test_a_title_written_in_capitals_before_a_name_is_the_role():
    rows = _mentions('Acme AI cut prices. "That cannot last," Chief Executive Wenda Morrow told reporters.')
    person = [r for r in rows if r["name"] == "Wenda Morrow"]
    assert person and (person[0]["role"], person[0]["organisation"]) == ("chief executive", "Acme AI")


def test_public_bodies_named_by_their_last_or_first_word_are_government():
    rows = _mentions("Acme AI agreed to pay a penalty, the Federal Maritime Commission said. The Office "
                     "of Electronic Communications and the Competition and Markets Authority said so.")
    assert {"Federal Maritime Commission", "Office of Electronic Communications",
            "Competition and Markets Authority"} <= _names(rows, "government")
    assert not _names(rows, "person")


def test_a_known_body_inside_a_longer_name_is_not_that_body():
    rows = _mentions("At the 20th National Congress of the Party, the leader spoke. US Congress said no.")
    assert [r["quote"] for r in rows if r["name"] == "Congress"] == ["Congress"]
    assert rows[[r["name"] for r in rows].index("Congress")]["start"] > 60


def test_accented_names_are_people():
    rows = _mentions("Paweł Nowak, an analyst at Zoë Capital, said Acme AI was cheap. Nowak added "
                     "that José Álvarez agreed.")
    assert {"Paweł Nowak", "José Álvarez"} <= _names(rows, "person")
    assert "Zoë Capital" in _names(rows, "company")


def test_a_firm_is_no_person_and_a_place_before_a_company_is_not_its_name():
    rows = _mentions("Analysts at Wexford Securities said the inquiry added to uncertainty. China's "
                     "Orvane Motors said deliveries rose.", company="Orvane Motors")
    assert "Wexford Securities" in _names(rows, "company")
    assert not _names(rows, "person")
    assert "China's Orvane Motors" not in _names(rows)
    assert any(r["is_subject"] and r["quote"] == "Orvane Motors" for r in rows)


@pytest.mark.parametrize("company", ["Kestrel", "Ørsted"])
def test_names_scan_changes_no_candidate(company):
    # the scan for the company's names only skips sentences; "Ørsted" lower-cases to a letter
    # re.IGNORECASE folds differently, so it has no scan and the patterns run on every sentence
    ex = entities.MentionExtractor(company, ())
    assert (ex.names_gate is None) == company.startswith("Ø")
    texts = [f"{company.upper()} said its {company}-V2 model beat rivals.", "Nothing else here.",
             f"#{company.lower()}'s app and {company} Coder V2 topped charts.", "Kestrels nest here."]
    found = [ex._candidates(t) for t in texts]
    assert ("company", company) in {(c["kind"], c["name"]) for c in found[0]}
    assert not [c for c in found[1] if c["kind"] in ("company", "model")]
    ex.names_gate = None
    assert [ex._candidates(t) for t in texts] == found


def test_a_plc_is_a_company_and_its_industry_word_may_be_dropped():
    # "Plc" ends a company's name like "Inc" (never a person's), and "Metals" is an industry
    # word, so "Borealis" is the company's short name, not the first name of a person
    text = ("Borealis Metals Plc made an offer for Acme AI. Borealis Metals raised it. "
            "Borealis said the offer was final.")
    ents = entities.build_entities(_mentions(text)).set_index("name")
    assert "person" not in set(ents["kind"])
    assert ents.at["Borealis Metals Plc", "kind"] == "company"
    assert ents.at["Borealis Metals", "aliases"] == "Borealis"
