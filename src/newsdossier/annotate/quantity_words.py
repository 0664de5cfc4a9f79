"""Words for the quantity finder: spelled-out numbers, scales, units, and a small noun lemmatiser."""

from __future__ import annotations

SMALL = {
    w: i
    for i, w in enumerate(
        "zero one two three four five six seven eight nine ten eleven twelve thirteen fourteen fifteen sixteen "
        "seventeen eighteen nineteen".split()
    )
}
TENS = {w: 20 + 10 * i for i, w in enumerate("twenty thirty forty fifty sixty seventy eighty ninety".split())}
SCALES = {"hundred": 1e2, "thousand": 1e3, "million": 1e6, "billion": 1e9, "trillion": 1e12,
          "k": 1e3, "m": 1e6, "mn": 1e6, "bn": 1e9, "b": 1e9, "tn": 1e12, "dozen": 12}

CURRENCY_SYMBOLS = {"$": "USD", "US$": "USD", "€": "EUR", "£": "GBP", "¥": "JPY", "₽": "RUB"}
CURRENCY_WORDS = {
    "usd": "USD", "dollars": "USD", "dollar": "USD", "us dollars": "USD", "eur": "EUR", "euros": "EUR",
    "euro": "EUR", "gbp": "GBP", "pounds": "GBP", "pound sterling": "GBP", "rubles": "RUB", "roubles": "RUB",
    "rub": "RUB", "yen": "JPY", "jpy": "JPY", "yuan": "CNY", "cny": "CNY", "francs": "CHF", "chf": "CHF",
}
MEASURE_UNITS = {
    "sq km": "sq km", "square kilometres": "sq km", "square kilometers": "sq km", "km2": "sq km",
    "sq mi": "sq mi", "square miles": "sq mi", "km": "km", "kilometres": "km", "kilometers": "km",
    "miles": "mi", "mile": "mi", "metres": "m", "meters": "m", "kg": "kg", "kilograms": "kg", "tonnes": "t",
    "tons": "t", "barrels": "barrels", "hectares": "ha", "acres": "acres", "feet": "ft", "ft": "ft", "mph": "mph",
    "km/h": "km/h", "mw": "MW", "gw": "GW", "litres": "l", "liters": "l", "%": "%", "percent": "%", "per cent": "%",
    "percentage points": "pp",
}

# Words that end the counted noun phrase after a number ("800 troops in Syria", "30 aircraft and ...").
STOP_WORDS = frozenset(
    "a an the and or but nor of in on at to for from with by as per than that which who whom whose this these "
    "those is are was were be been being has have had do does did will would can could may might must shall "
    "should it its he she they we you i his her their our your my not no so if then there here when while "
    "since until into onto over under about around after before between during through up down out off last "
    "next each every more most less fewer some any all both either neither such only also just very "
    # verbs that follow a counted noun phrase ("the number of staff vary from ...")
    "vary varies varied range ranges ranged stand stands stood total totals totalled reach reached rose fell "
    "remain remains remained".split()
)
TIME_NOUNS = frozenset("year years month months week weeks day days hour hours minute minutes second seconds "
                       "decade decades century centuries".split())
SAME_PLURAL = frozenset("aircraft personnel police people staff crew sheep fish series species deer cattle "
                         "offspring militia".split())
_IE_NOUNS = frozenset("sortie movie cookie calorie rookie zombie prairie hippie pie tie lie die".split())
_IRREGULAR = {"men": "man", "women": "woman", "children": "child", "feet": "foot", "teeth": "tooth",
              "mice": "mouse", "geese": "goose", "lives": "life", "wives": "wife", "knives": "knife",
              "halves": "half", "wolves": "wolf", "thieves": "thief", "leaves": "leaf", "data": "data",
              "criteria": "criterion", "phenomena": "phenomenon", "crises": "crisis", "analyses": "analysis"}


def lemma(noun: str) -> str:
    """Singular of an English noun by rule: troops -> troop, sorties -> sortie, aircraft -> aircraft.

    The convention for ``Quantity.counts``: lower-case singular, so '1 soldier' and '2,000 soldiers'
    count the same thing.
    """
    w = noun.lower()
    if w in _IRREGULAR:
        return _IRREGULAR[w]
    if w in SAME_PLURAL or len(w) <= 3 or w.endswith(("ss", "us", "is", "ics")):
        return w
    if w.endswith("ies"):
        return w[:-1] if w[:-1] in _IE_NOUNS else w[:-3] + "y"
    if w.endswith(("ches", "shes", "xes", "zes", "sses", "oes")):
        return w[:-2]
    if w.endswith("s"):
        return w[:-1]
    return w


def spelled_value(words: list[str]) -> float | None:
    """'two thousand' -> 2000, 'twenty-five' -> 25, 'three hundred and ten' -> 310."""
    total, current, seen = 0.0, 0.0, False
    for raw in words:
        for w in raw.lower().split("-"):
            if w == "and":
                continue
            if w in SMALL:
                current += SMALL[w]
            elif w in TENS:
                current += TENS[w]
            elif w == "hundred":
                current = (current or 1) * 100
            elif w in ("thousand", "million", "billion", "trillion"):
                total += (current or 1) * SCALES[w]
                current = 0
            else:
                return None
            seen = True
    return total + current if seen else None
