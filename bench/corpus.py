"""A deterministic corpus of programme pages and course pages, in the formats of data/sources, for benchmarks.

Run: .venv/bin/python bench/corpus.py --programmes 1000 --seed 7 --out /tmp/corpus
Each programme page has 3 or 4 semesters (the last one the thesis), 10 to 30 courses spread over the other
semesters as mandatory or elective, each with a pillar (and credits for some), requirements with alternatives
plus an additional language requirement, 2 to 8 partners with country hints, and funding. About one
programme in five also gets a course page. Names are invented from word lists; the same seed gives the
same files on every machine.
"""

import argparse
import random
from pathlib import Path

SUBJECTS = ["Data", "Health", "Climate", "Robotics", "Finance", "Language", "Vision", "Genomics", "Energy", "Security",
            "Learning", "Ethics", "Policy", "Design", "Systems", "Imaging", "Logistics", "Media", "Law", "Biology"]
QUALIFIERS = ["Applied", "Computational", "Digital", "Trustworthy", "Sustainable", "Clinical", "Quantitative", "Responsible",
              "Interactive", "Advanced", "Human-Centred", "Distributed"]
TOPICS = ["Statistics", "Machine Learning", "Deep Learning", "Data Engineering", "Optimisation", "Causal Inference", "Ethics",
          "Privacy", "Visualisation", "Cloud Computing", "Signal Processing", "Natural Language Processing", "Epidemiology",
          "Project Management", "Regulation", "Econometrics", "Simulation", "Databases", "Software Engineering", "Research Methods"]
LEVELS = ["Introduction to", "Foundations of", "Advanced", "Topics in", "Applied", "Seminar in", "Practical", "Principles of"]
PILLARS = ["AI", "Data Science", "Healthcare and Management", "Ethical and Legal Considerations", "Engineering", "Research Skills",
           "Domain Knowledge", "Communication"]
FIELDS = ["Biology", "Medicine", "Computer Science", "Mathematics", "Statistics", "Economics", "Physics", "Engineering",
          "Psychology", "Management", "Public Health", "Chemistry"]
CITIES = ["Northbridge", "Eastvale", "Westmoor", "Southport", "Lakeside", "Highfield", "Riverton", "Stonehaven", "Ashford",
          "Glenwood", "Fairhaven", "Kingsbury", "Maplewood", "Oakridge", "Pinecrest", "Silverton"]
COUNTRIES = ["D", "UK", "SL", "NL", "FI", "FR", "IT", "ES", "BE", "AT"]
ORDINALS = ["FIRST", "SECOND", "THIRD", "FOURTH"]
NUMBER_WORDS = ["one", "two", "three", "four"]


def university(rng: random.Random) -> str:
    """An invented university name."""
    city = rng.choice(CITIES)
    return rng.choice([f"University of {city}", f"{city} University", f"{city} Institute of Technology", f"Technical University {city}"])


def programme_page(rng: random.Random, number: int) -> tuple[str, list[str], list[str]]:
    """One programme page's text, its course names and its pillars."""
    subject_a, subject_b = rng.sample(SUBJECTS, 2)
    name = f"{rng.choice(QUALIFIERS)} {subject_a} and {subject_b}"
    abbreviation = f"P{number:05d}"
    semesters = rng.choice([3, 4])
    taught = semesters - 1
    courses = rng.randint(10, 30)
    pillars = rng.sample(PILLARS, rng.randint(3, 5))
    lines = [
        "---", f'title: "{name} ({abbreviation})"', 'layout: "masters-programme"', "---", "",
        f"A master's programme at the intersection of {subject_a} and {subject_b}.", "",
        f"### THE {abbreviation} MASTER'S DEGREE PROGRAM - AN OVERVIEW", "",
        f"Our {abbreviation} programme trains students in {subject_a.lower()} and {subject_b.lower()} with a strong focus on practice.", "",
        "### ADMISSION REQUIREMENTS", "", f"One of the {NUMBER_WORDS[1]} following:",
    ]
    for _ in range(2):
        fields = rng.sample(FIELDS, rng.randint(2, 4))
        lines.append(f"- Bachelor’s degree in {', '.join(fields[:-1])} or {fields[-1]} or a closely related subject")
    level = rng.choice(["B2", "C1"])
    lines += ["", "Additionally, each applicant has to provide evidence of:",
              f"- Knowledge of the English language at a level no lower than level {level} of the CEF (Common European Framework)",
              "", "### COURSES AND TEACHING LANGUAGE", "",
              f"The master's program consists of {NUMBER_WORDS[semesters - 1]} semesters. The {ORDINALS[semesters - 1].lower()} semester "
              "is dedicated to writing the master's thesis. The language of instruction is English.", ""]
    names: list[str] = []
    per_semester = [courses // taught + (1 if i < courses % taught else 0) for i in range(taught)]
    for semester, count in enumerate(per_semester):
        lines += [f"### {ORDINALS[semester]} SEMESTER", ""]
        mandatory = max(1, count // 2)
        for heading, amount in (("Mandatory Courses", mandatory), ("Elective Courses", count - mandatory)):
            if amount <= 0:
                continue
            lines += [f"#### {heading}", ""]
            for _ in range(amount):
                course = f"{rng.choice(LEVELS)} {rng.choice(TOPICS)}"
                while course in names:
                    course = f"{rng.choice(LEVELS)} {rng.choice(TOPICS)} {len(names)}"
                names.append(course)
                note = rng.choice(pillars) + (f", {rng.choice([3, 5, 6, 7.5, 10])} ECTS" if rng.random() < 0.5 else "")
                lines.append(f"**{course}** *({note})*")
                if rng.random() < 0.6:
                    lines.append(f"Participants learn {course.lower()} through lectures and projects.")
                lines.append("")
    partners = list(dict.fromkeys(university(rng) for _ in range(rng.randint(2, 8))))
    while len(partners) < 2:  # a coordinator and at least one other member, never the coordinator twice
        partners = list(dict.fromkeys([*partners, university(rng)]))
    members = [f"{p} ({rng.choice(COUNTRIES)})" for p in partners[1:]]
    listed = members[0] if len(members) == 1 else f"{', '.join(members[:-1])} and {members[-1]}"
    lines += ["### PARTNERS", "", f"The project is coordinated by the {partners[0]} and includes the {listed}.", "",
              "### SUPPORTED BY", "",
              f"This master's degree program is run under the context of Action No 2024-EU-IA-{number:04d}, "
              f"co-financed by the EU Digital Programme under GA nr. DIGITAL/{number:06d}."]
    return "\n".join(lines) + "\n", names, pillars


def course_page(rng: random.Random, title: str, pillar: str, track: str) -> str:
    """One course page's text."""
    tags = rng.sample(["Python", "Kubernetes", "CI/CD", "Statistics", "CloudAI", "Ethics", "Imaging", "NLP"], 3)
    themes = "\n".join(f"- {t}." for t in rng.sample(TOPICS, 4))
    return (f"---\ntitle: {title}\nsemester: {rng.randint(1, 3)}\nstudycredits: {rng.choice([3, 5, 6])}\noption: 1\n"
            f"weight: {rng.randint(1, 50)}\ntags:\n" + "".join(f"- {t}\n" for t in tags)
            + f"pillar: {pillar.lower()}\ntracks:\n- {track}\nenglish-only: true\n---\n"
            f"A course about {title.lower()}.\n\n### End Goal\nStudents can apply {title.lower()} in practice.\n\n### Themes\n{themes}\n")


def generate(programmes: int, seed: int, out: Path) -> list[Path]:
    """Write the corpus into out/ and return the files, in order."""
    rng = random.Random(seed)
    out.mkdir(parents=True, exist_ok=True)
    files = []
    for number in range(programmes):
        text, names, pillars = programme_page(rng, number)
        path = out / f"programme-{number:05d}.txt"
        path.write_text(text, "utf-8")
        files.append(path)
        if number % 5 == 0:
            page = out / f"course-{number:05d}.txt"
            page.write_text(course_page(rng, f"{names[0]} Studio {number}", rng.choice(pillars), f"track-{number % 7}"), "utf-8")
            files.append(page)
    return files


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--programmes", type=int, default=100)
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--out", type=Path, required=True)
    args = parser.parse_args()
    files = generate(args.programmes, args.seed, args.out)
    print(f"{len(files)} files in {args.out}")


if __name__ == "__main__":
    main()
