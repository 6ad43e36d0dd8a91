"""Generate IMDb-format dataset files of any size, for the import benchmark.

The files follow IMDb's documented layout (header line, tab-separated, ``\\N`` for null,
gzip) and its shape: titles of the usual types with genres, names with birth years,
principals sorted by title with IMDb's categories and JSON character lists, and crew lists.
The content is made up; the same seed gives the same files.

    python bench/imdb_data.py OUT_DIR [--scale 1.0] [--seed 1] [--plain]

Scale 1.0 is 300,000 titles, 1,000,000 names, 3,000,000 principals (and one crew row per
title).
"""

from __future__ import annotations

import argparse
import gzip
import json
import random
import time
from pathlib import Path

TITLES, NAMES, PRINCIPALS = 300_000, 1_000_000, 3_000_000
NULL = "\\N"

TITLE_TYPES = [
    ("movie", 40), ("tvSeries", 22), ("tvMiniSeries", 8), ("tvMovie", 10), ("tvSpecial", 5),
    ("short", 8), ("video", 4), ("tvEpisode", 3),
]  # fmt: skip
GENRES = [
    "Drama", "Comedy", "Crime", "Thriller", "Documentary", "Action", "Romance", "Horror",
    "Mystery", "Adventure", "Family", "Sci-Fi", "Fantasy", "Animation", "Biography", "History",
    "Music", "Reality-TV", "Talk-Show", "War", "Western", "Sport", "News", "Game-Show",
]  # fmt: skip
CATEGORIES = [
    ("actor", 30), ("actress", 22), ("self", 5), ("director", 8), ("writer", 10),
    ("producer", 10), ("composer", 5), ("cinematographer", 4), ("editor", 4),
    ("casting_director", 2),
]  # fmt: skip
PRODUCER_JOBS = ["producer", "executive producer", "co-executive producer", "line producer"]
WRITER_JOBS = ["\\N", "written by", "created by", "novel", "teleplay"]
WORDS = (
    "night city river last house blue road silent crown empire harbor winter summer "
    "station signal shadow garden ember coast border legacy north glass iron velvet storm "
    "echo hollow lantern orchard canyon mirror falcon meridian ashes tide"
).split()
FIRST = (
    "Ana Ben Carla Dev Eli Fay Gus Hana Ivo Jun Kai Lea Max Nia Omar Pia Quinn Rosa Sam Tess "
    "Uma Vik Wren Xan Yara Zed Ada Bo Cy Di Ed Flo Gil"
).split()
LAST = (
    "Abara Brandt Castell Dorsey Ekwueme Fischer Garza Holm Ibarra Jensen Kowal Lindqvist "
    "Moreau Nakamura Okafor Petrov Quist Rahman Sato Tanaka Ulloa Varga Wojcik Xu Yilmaz Zeller"
).split()


def weighted(rng: random.Random, table: list[tuple[str, int]]) -> str:
    return rng.choices([t for t, _w in table], weights=[w for _t, w in table])[0]


def open_out(path: Path, plain: bool):
    if plain:
        return path.with_suffix("").open("w", encoding="utf-8", newline="\n") if path.suffix == ".gz" else path.open("w")
    return gzip.open(path, "wt", encoding="utf-8", compresslevel=1, newline="\n")


def generate(out: Path, *, scale: float = 1.0, seed: int = 1, plain: bool = False) -> dict[str, int]:
    rng = random.Random(seed)
    out.mkdir(parents=True, exist_ok=True)
    n_titles, n_names, n_principals = (max(1, int(n * scale)) for n in (TITLES, NAMES, PRINCIPALS))
    suffix = ".tsv" if plain else ".tsv.gz"

    with open_out(out / f"title.basics{suffix}", plain) as f:
        f.write("tconst\ttitleType\tprimaryTitle\toriginalTitle\tisAdult\tstartYear\tendYear\truntimeMinutes\tgenres\n")
        for i in range(1, n_titles + 1):
            kind = weighted(rng, TITLE_TYPES)
            title = " ".join(rng.choice(WORDS).capitalize() for _ in range(rng.randint(1, 4)))
            original = title if rng.random() < 0.9 else f"{title} ({rng.choice(LAST)})"
            start = rng.randint(1950, 2025)
            end = str(start + rng.randint(0, 12)) if kind in ("tvSeries", "tvMiniSeries") and rng.random() < 0.6 else "\\N"
            genres = ",".join(rng.sample(GENRES, rng.randint(1, 3))) if rng.random() < 0.95 else "\\N"
            adult = "1" if rng.random() < 0.01 else "0"
            f.write(f"tt{i:08d}\t{kind}\t{title}\t{original}\t{adult}\t{start}\t{end}\t{rng.randint(20, 180)}\t{genres}\n")

    with open_out(out / f"name.basics{suffix}", plain) as f:
        f.write("nconst\tprimaryName\tbirthYear\tdeathYear\tprimaryProfession\tknownForTitles\n")
        for i in range(1, n_names + 1):
            name = f"{rng.choice(FIRST)} {rng.choice(LAST)}"
            birth = str(rng.randint(1900, 2005)) if rng.random() < 0.4 else "\\N"
            death = str(int(birth) + rng.randint(30, 90)) if birth != "\\N" and rng.random() < 0.1 else "\\N"
            known = ",".join(f"tt{rng.randint(1, n_titles):08d}" for _ in range(rng.randint(0, 4))) or "\\N"
            f.write(f"nm{i:08d}\t{name}\t{birth}\t{death}\tactor,producer\t{known}\n")

    written = 0
    with open_out(out / f"title.principals{suffix}", plain) as f, open_out(out / f"title.crew{suffix}", plain) as crew:
        f.write("tconst\tordering\tnconst\tcategory\tjob\tcharacters\n")
        crew.write("tconst\tdirectors\twriters\n")
        for i in range(1, n_titles + 1):
            # About the same number of principals per title, ending exactly on the total.
            target = n_principals * i // n_titles
            count = target - written if i == n_titles else max(0, target - written + rng.randint(-3, 3))
            directors, writers = [], []
            for ordering in range(1, count + 1):
                category = weighted(rng, CATEGORIES)
                nconst = f"nm{rng.randint(1, n_names):08d}"
                job, characters = "\\N", "\\N"
                if category in ("actor", "actress"):
                    characters = json.dumps([f"{rng.choice(FIRST)} {rng.choice(LAST)}"])
                elif category == "self":
                    characters = json.dumps(["Self"])
                elif category == "producer":
                    job = rng.choice(PRODUCER_JOBS)
                elif category == "writer":
                    job = rng.choice(WRITER_JOBS)
                    writers.append(nconst)
                elif category == "director":
                    directors.append(nconst)
                f.write(f"tt{i:08d}\t{ordering}\t{nconst}\t{category}\t{job}\t{characters}\n")
            written += count
            crew.write(f"tt{i:08d}\t{','.join(directors) or NULL}\t{','.join(writers) or NULL}\n")
    return {"titles": n_titles, "names": n_names, "principals": written, "crew": n_titles}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("out", type=Path)
    parser.add_argument("--scale", type=float, default=1.0)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--plain", action="store_true", help="write .tsv instead of .tsv.gz")
    args = parser.parse_args()
    started = time.monotonic()
    counts = generate(args.out, scale=args.scale, seed=args.seed, plain=args.plain)
    print(f"wrote {counts} to {args.out} in {time.monotonic() - started:.1f}s")


if __name__ == "__main__":
    main()
