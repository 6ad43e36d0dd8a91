"""Linking speed against synthetic catalogs of 10k, 100k and 1M names.

    python bench/linking.py                  # every size, each in its own process
    python bench/linking.py --size 1000000   # one size
    python bench/linking.py --runs 50

For each size the script builds a catalog of realistic name shapes (people "First Last",
"First Middle Last", "First de Last", initials; titles "The X", "X of the Y", "X: Legacy",
"X P.I."; companies "X Studios", "X Media"), builds the gazetteer from it and times linking a
1,000-word trade-press story that names about forty of them: tokenizing, matching, the
resolver's rules, suggestions and writing the links — everything linking computes, with the
catalog read from memory instead of the database (the database part is a few indexed queries
per story whatever the catalog's size). It prints the median processor time per story (what
the story costs, whatever else the machine is running), the wall-clock median, 90th
percentile and best run, the gazetteer's build time, and the process's peak resident memory
(the synthetic catalog itself included). Each size runs in a fresh process so peak memory is that size's own.

No database and no shared files are used.
"""

from __future__ import annotations

import argparse
import gc
import os
import random
import resource
import statistics
import subprocess
import sys
import time
from array import array
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

SIZES = [10_000, 100_000, 1_000_000]

FIRST = ["James", "Mary", "John", "Patricia", "Robert", "Jennifer", "Michael", "Linda", "David", "Elizabeth", "William", "Barbara", "Richard", "Susan", "Joseph", "Jessica", "Thomas", "Sarah", "Charles", "Karen", "Christopher", "Lisa", "Daniel", "Nancy", "Matthew", "Betty", "Anthony", "Sandra", "Mark", "Margaret", "Donald", "Ashley", "Steven", "Kimberly", "Andrew", "Emily", "Paul", "Donna", "Joshua", "Michelle", "Kenneth", "Carol", "Kevin", "Amanda", "Brian", "Melissa", "George", "Deborah", "Timothy", "Stephanie", "Ronald", "Rebecca", "Jason", "Sharon", "Edward", "Laura", "Jeffrey", "Cynthia", "Ryan", "Amy", "Jacob", "Kathleen", "Gary", "Angela", "Nicholas", "Shirley", "Eric", "Brenda", "Jonathan", "Emma", "Stephen", "Anna", "Larry", "Pamela", "Justin", "Nicole", "Scott", "Samantha", "Brandon", "Katherine", "Benjamin", "Christine", "Samuel", "Helen", "Gregory", "Debra", "Alexander", "Rachel", "Frank", "Carolyn", "Patrick", "Janet", "Raymond", "Maria", "Jack", "Catherine", "Dennis", "Heather", "Jerry", "Diane", "Tyler", "Olivia", "Aaron", "Julie", "Jose", "Joyce", "Adam", "Victoria", "Nathan", "Ruth", "Henry", "Virginia", "Zachary", "Lauren", "Douglas", "Kelly", "Peter", "Christina", "Kyle", "Joan", "Noah", "Evelyn", "Ethan", "Judith", "Jeremy", "Andrea", "Walter", "Hannah", "Christian", "Megan", "Keith", "Cheryl", "Roger", "Jacqueline", "Terry", "Martha", "Austin", "Madison", "Sean", "Teresa", "Gerald", "Gloria", "Carl", "Sara", "Harold", "Janice", "Dylan", "Ann", "Arthur", "Kathryn", "Lawrence", "Abigail", "Jordan", "Sophia", "Jesse", "Frances", "Bryan", "Jean", "Billy", "Alice", "Bruce", "Judy", "Gabriel", "Isabella", "Joe", "Julia", "Logan", "Grace", "Albert", "Amber", "Willie", "Denise", "Alan", "Danielle", "Eugene", "Marilyn", "Russell", "Beverly", "Vincent", "Charlotte", "Philip", "Natalie", "Bobby", "Theresa", "Johnny", "Diana", "Bradley", "Brittany", "Renée", "Zoë", "José", "Chloë", "Siobhán", "Maggie", "Titus", "Courtney", "Trish", "Jet", "Trey"]
LAST = ["Smith", "Johnson", "Williams", "Brown", "Jones", "Garcia", "Miller", "Davis", "Rodriguez", "Martinez", "Hernandez", "Lopez", "Gonzalez", "Wilson", "Anderson", "Thomas", "Taylor", "Moore", "Jackson", "Martin", "Lee", "Perez", "Thompson", "White", "Harris", "Sanchez", "Clark", "Ramirez", "Lewis", "Robinson", "Walker", "Young", "Allen", "King", "Wright", "Scott", "Torres", "Nguyen", "Hill", "Flores", "Green", "Adams", "Nelson", "Baker", "Hall", "Rivera", "Campbell", "Mitchell", "Carter", "Roberts", "Gomez", "Phillips", "Evans", "Turner", "Diaz", "Parker", "Cruz", "Edwards", "Collins", "Reyes", "Stewart", "Morris", "Morales", "Murphy", "Cook", "Rogers", "Gutierrez", "Ortiz", "Morgan", "Cooper", "Peterson", "Bailey", "Reed", "Kelly", "Howard", "Ramos", "Kim", "Cox", "Ward", "Richardson", "Watson", "Brooks", "Chavez", "Wood", "James", "Bennett", "Gray", "Mendoza", "Ruiz", "Hughes", "Price", "Alvarez", "Castillo", "Sanders", "Patel", "Myers", "Long", "Ross", "Foster", "Jimenez", "Powell", "Jenkins", "Perry", "Russell", "Sullivan", "Bell", "Coleman", "Butler", "Henderson", "Barnes", "Gonzales", "Fisher", "Vasquez", "Simmons", "Romero", "Jordan", "Patterson", "Alexander", "Hamilton", "Graham", "Reynolds", "Griffin", "Wallace", "Moreno", "West", "Cole", "Hayes", "Bryant", "Herrera", "Gibson", "Ellis", "Tran", "Medina", "Aguilar", "Stevens", "Murray", "Ford", "Castro", "Marshall", "Owens", "Harrison", "Fernandez", "McDonald", "Woods", "Washington", "Kennedy", "Wells", "Vargas", "Henry", "Chen", "Freeman", "Webb", "Tucker", "Guzman", "Burns", "Crawford", "Olson", "Simpson", "Porter", "Hunter", "Gordon", "Mendez", "Silva", "Shaw", "Snyder", "Mason", "Dixon", "Munoz", "Hunt", "Hicks", "Holmes", "Palmer", "Wagner", "Black", "Robertson", "Boyd", "Rose", "Stone", "Salazar", "Fox", "Warren", "Mills", "Meyer", "Rice", "Schmidt", "Garza", "Daniels", "Ferguson", "Nichols", "Stephens", "Soto", "Weaver", "Ryan", "Gardner", "Payne", "Grant", "Dunn", "Kelley", "Spencer", "Hawkins", "Arnold", "Pierce", "Hansen", "Peters", "Santos", "Hart", "Bradley", "Knight", "Elliott", "Cunningham", "Duncan", "Armstrong", "Hudson", "Carroll", "Lane", "Riley", "Andrews", "Ray", "Berry", "Perkins", "Hoffman", "Johnston", "Matthews", "Peña", "Willis", "Carpenter", "Lawrence", "Sandoval", "O'Brien", "O'Connor", "Welliver", "Connelly", "Bastin", "Alaimo", "Sherwood", "Hofmann", "Wilkinson", "Aouate", "Batchelor", "Snider"]
PARTICLES = ["de", "van", "von", "del", "da", "le"]
TITLE_WORDS = ["Shadow", "Harbor", "River", "Night", "Crown", "Empire", "Signal", "Garden", "Station", "Bridge", "Winter", "Summer", "Hollow", "Ridge", "Fire", "Stone", "Glass", "Iron", "Silver", "Golden", "Broken", "Silent", "Hidden", "Lost", "Last", "First", "Wild", "Dark", "Bright", "Distant", "Northern", "Southern", "Eastern", "Western", "Little", "Grand", "Royal", "Secret", "Blue", "Red", "Black", "White", "Green", "Echo", "Mirror", "Paper", "Wolf", "Raven", "Lion", "Fox", "Hawk", "Tide", "Storm", "Sky", "Ocean", "Desert", "Forest", "Canyon", "Valley", "Island", "Harbor", "City", "Town", "Street", "Avenue", "Road", "Line", "Code", "Law", "Order", "Justice", "Crime", "Case", "File", "Unit", "Squad", "Patrol", "Precinct", "Division", "Bureau", "Agency", "Legacy", "Origins", "Reckoning", "Rising", "Falling", "Return", "Revenge", "Promise", "Dream", "Heart", "Soul", "Mind", "Blood", "Bone", "Ash", "Dust", "Smoke", "Light", "Dawn", "Dusk", "Midnight", "Noon", "Hour", "Day", "Week", "Year", "Century"]
PLACES = ["Chicago", "Boston", "Denver", "Austin", "Portland", "Seattle", "Phoenix", "Dallas", "Miami", "Atlanta", "Detroit", "Memphis", "Nashville", "Houston", "Tampa", "Orlando", "Raleigh", "Richmond", "Baltimore", "Cleveland", "Pittsburgh", "Savannah", "Charleston", "Tulsa", "Omaha", "Reno", "Fresno", "Tucson", "Boise", "Anchorage", "Honolulu", "Juneau"]
COMPANY_SUFFIX = ["Studios", "Media", "Entertainment", "Pictures", "Television", "Productions",
                  "Films", "Networks", "Group", "Channel"]


ONSETS = ["b", "br", "c", "ch", "d", "dr", "f", "g", "gr", "h", "j", "k", "kr", "l", "m", "n", "p", "pr", "r", "s", "sh", "st", "t", "th", "tr", "v", "w", "y", "z"]
VOWELS = ["a", "e", "i", "o", "u", "ai", "ea", "ie", "ou", "ay"]
CODAS = ["", "", "n", "r", "l", "s", "th", "ck", "m", "nd", "rt", "x", "tt", "ll", "sk"]
ENDINGS = ["", "", "", "son", "berg", "ski", "ez", "ova", "ley", "ton", "field", "man", "ett",
           "ini", "stein", "wood", "sen", "ic", "ard", "elli"]


def invented_word(rng: random.Random) -> str:
    """A surname-shaped word ("Brandley", "Kroustein"): real catalogs are mostly names
    that occur once, which a few hundred real surnames alone cannot give."""
    syllables = "".join(
        rng.choice(ONSETS) + rng.choice(VOWELS) + rng.choice(CODAS) for _ in range(rng.randint(1, 2))
    )
    return (syllables + rng.choice(ENDINGS)).capitalize()


def surname(rng: random.Random) -> str:
    return rng.choice(LAST) if rng.random() < 0.15 else invented_word(rng)


def given_name(rng: random.Random) -> str:
    return rng.choice(FIRST) if rng.random() < 0.85 else invented_word(rng)


def person_name(rng: random.Random) -> str:
    shape = rng.random()
    first, last = given_name(rng), surname(rng)
    if shape < 0.62:
        return f"{first} {last}"
    if shape < 0.82:
        return f"{first} {given_name(rng)} {last}"
    if shape < 0.90:
        return f"{first} {surname(rng)}-{last}"
    if shape < 0.95:
        return f"{first} {rng.choice(PARTICLES)} {last}"
    return f"{first} {rng.choice('ABCDEFGHJKLMNPRSTW')}. {last}"


def show_title(rng: random.Random) -> str:
    a = rng.choice(TITLE_WORDS)
    b = rng.choice(TITLE_WORDS) if rng.random() < 0.5 else invented_word(rng)
    shape = rng.random()
    if shape < 0.25:
        return f"The {a} {b}"
    if shape < 0.45:
        return f"{a} of the {b}"
    if shape < 0.60:
        return f"{rng.choice(PLACES)} {b}"
    if shape < 0.70:
        return f"{a} {b}: {rng.choice(['Legacy', 'Origins', 'Reckoning', 'Resurrection'])}"
    if shape < 0.75:
        return f"{a} {rng.choice(['P.I.', 'M.D.', 'Jr.', 'U.S.A.'])}"
    if shape < 0.85:
        return f"{a} {b} {rng.choice(TITLE_WORDS)}"
    if shape < 0.92:
        return f"{given_name(rng)} {surname(rng)}'s {b}"
    return f"{a}{b.lower()}"


def company_name(rng: random.Random) -> str:
    return f"{rng.choice(TITLE_WORDS)} {surname(rng)} {rng.choice(COMPANY_SUFFIX)}"


def synthetic_catalog(size: int) -> tuple[list, list, list]:
    """(pk, name, aliases) rows: 70% people, 25% titles, 5% companies. Smaller catalogs are
    prefixes of larger ones, so the story's names exist at every size."""
    rng = random.Random(20251010)
    people, shows, companies = [], [], []
    for i in range(size):
        slot = i % 20
        if slot < 14:
            people.append((len(people) + 1, person_name(rng), None))
        elif slot < 19:
            alias = [f"{rng.choice(TITLE_WORDS)} {rng.choice(TITLE_WORDS)}"] if rng.random() < 0.05 else None
            shows.append((len(shows) + 1, show_title(rng), alias))
        else:
            companies.append((len(companies) + 1, company_name(rng), None))
    return people, shows, companies


class Names:
    """A column of names packed in one string: a million Python tuples would keep the
    garbage collector busy and make the benchmark measure the benchmark."""

    def __init__(self, rows: list) -> None:
        self.text = "\x00".join(name for _, name, _ in rows)
        self.offsets = array("L", [0])
        for _, name, _ in rows:
            self.offsets.append(self.offsets[-1] + len(name) + 1)

    def __getitem__(self, index: int) -> str:
        return self.text[self.offsets[index] : self.offsets[index + 1] - 1]

    def __len__(self) -> int:
        return len(self.offsets) - 1


class MemoryCatalog:
    """The resolver's view of a catalog held in packed columns (pk - 1 is the index)."""

    def __init__(self, people: list, shows: list, companies: list, credits: list) -> None:
        self.people, self.shows, self.companies = Names(people), Names(shows), Names(companies)
        self._credits = credits

    def entities(self, refs: set[int]) -> dict:
        from articles.gazetteer import COMPANY, PERSON, ref_kind, ref_pk
        from articles.matching import Entity

        out = {}
        for ref in refs:
            kind, pk = ref_kind(ref), ref_pk(ref)
            if kind == PERSON:
                out[ref] = Entity(ref, kind, pk, self.people[pk - 1], f"p{pk}")
            elif kind == COMPANY:
                out[ref] = Entity(ref, kind, pk, self.companies[pk - 1], f"c{pk}", company_kind="studio")
            else:
                network = (pk % len(self.companies)) + 1
                out[ref] = Entity(
                    ref, kind, pk, self.shows[pk - 1], f"s{pk}", show_kind="series",
                    year=2000 + pk % 25, network=network,
                )
        return out

    def credits(self, person_pks: set[int], show_pks: set[int]) -> list:
        return [c for c in self._credits if c[0] in person_pks and c[1] in show_pks]


FILLER = (
    "The network said the decision followed a strong first season and a loyal audience. "
    "Executives pointed to streaming numbers that grew every week after the premiere. "
    "Production is expected to begin in the spring, with new episodes next year. "
    "The writers room reopens next month, and the budget per episode stays about the same. "
    "Critics praised the performances and the slow-burning mystery at its center. "
    "A spokesperson declined to comment on the length of the next season. "
)


def make_story(people: list, shows: list, companies: list) -> tuple[str, str, list]:
    """A 1,000-word renewal story naming about forty catalog entries from the first 10k."""
    rng = random.Random(7)
    small = 10_000
    pool_people = people[: small * 14 // 20]
    pool_shows = shows[: small * 5 // 20]
    pool_companies = companies[: small // 20]
    main = pool_shows[3]
    studio = pool_companies[2]
    cast = rng.sample(pool_people, 12)
    crew = rng.sample(pool_people, 10)
    titles = rng.sample(pool_shows, 16)
    credits = [(p[0], main[0], "cast", "") for p in cast[:4]]
    paras = [
        f"{studio[1]} has renewed {main[1]} for a second season, the company said on Tuesday. "
        f"The drama, starring {cast[0][1]} and {cast[1][1]}, was one of the most watched "
        "series of the year.",
    ]
    words = sum(len(p.split()) for p in paras)
    i = 0
    while words < 1000:
        person = cast[i % len(cast)]
        title = titles[i % len(titles)]
        bits = [
            f"{person[1]} ({title[1]}) returns in a larger role.",
            f"The series is executive produced by {crew[i % 10][1]}, {crew[(i + 1) % 10][1]} "
            f"and {crew[(i + 2) % 10][1]}.",
            f"{person[1].split()[-1]} said the new episodes would go further than before.",
            FILLER,
            f"Fans of {titles[(i + 3) % len(titles)][1]} will recognise the tone.",
        ]
        para = " ".join(bits)
        paras.append(para)
        words += len(para.split())
        i += 1
    body = "".join(f"<p>{p}</p>" for p in paras)
    return f"{main[1]} Renewed for Season 2", body, credits


def link_once(gaz, catalog, title: str, body: str) -> int:
    from articles.linking import announced_season
    from articles.matching import Context, analyse
    from articles.prose import build_doc, insert_links
    from articles.suggestions import ambiguous_suggestions, extract_facts, suggestions_from

    doc = build_doc(title, "", body)
    analysis = analyse(doc, gaz, catalog, Context(kind="renewal"))
    occurrences = analysis.occurrences()
    links = []
    for ref, spans in occurrences.items():
        sp = next((s for s in spans if doc.in_body(s.start)), None)
        if sp is not None:
            links.append((sp.start, sp.end, f"/x/{ref}/"))
    insert_links(doc, links)
    announced_season(doc)
    facts = extract_facts(analysis)
    suggestions_from(analysis, facts)
    ambiguous_suggestions(analysis)
    return len(occurrences)


def rss_mb() -> float:
    """The process's resident memory now (Linux)."""
    with open("/proc/self/statm") as statm:
        return int(statm.read().split()[1]) * os.sysconf("SC_PAGE_SIZE") / 2**20


def peak_rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def run_size(size: int, runs: int) -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "newsroom.settings")
    import django

    django.setup()
    from articles.gazetteer import build_gazetteer

    people, shows, companies = synthetic_catalog(size)
    title, body, credits = make_story(people, shows, companies)
    catalog = MemoryCatalog(people, shows, companies, credits)
    before = rss_mb()
    started, cpu_started = time.perf_counter(), time.process_time()
    gaz = build_gazetteer(people, shows, companies)
    build_s = time.perf_counter() - started
    build_cpu = time.process_time() - cpu_started
    gazetteer_mb = rss_mb() - before
    del people, shows, companies
    gc.collect()
    found = link_once(gaz, catalog, title, body)  # warm up
    times, cpu = [], []
    for _ in range(runs):
        t0, c0 = time.perf_counter(), time.process_time()
        link_once(gaz, catalog, title, body)
        times.append((time.perf_counter() - t0) * 1000)
        cpu.append((time.process_time() - c0) * 1000)
    times.sort()
    p50 = statistics.median(times)
    p90 = times[int(len(times) * 0.9) - 1]
    cpu_p50 = statistics.median(cpu)
    words = len(body.replace("<p>", " ").replace("</p>", " ").split())
    load = os.getloadavg()[0]
    print(
        f"{size:>9,} names | build {build_s:6.2f} s ({build_cpu:.2f} s CPU) | "
        f"peak RSS {peak_rss_mb():4.0f} MB (gazetteer {gazetteer_mb:.0f} MB) | "
        f"story {words} words, {found} entities | CPU p50 {cpu_p50:6.2f} ms | "
        f"wall p50 {p50:6.2f} ms, p90 {p90:6.2f} ms, min {times[0]:6.2f} ms | load {load:.1f}",
        flush=True,
    )


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--size", type=int, help="Only this catalog size.")
    parser.add_argument("--runs", type=int, default=30, help="Timed link runs per size.")
    args = parser.parse_args()
    if args.size:
        run_size(args.size, args.runs)
        return 0
    for size in SIZES:
        result = subprocess.run(
            [sys.executable, __file__, "--size", str(size), "--runs", str(args.runs)], check=False
        )
        if result.returncode:
            return result.returncode
    return 0


if __name__ == "__main__":
    sys.exit(main())
