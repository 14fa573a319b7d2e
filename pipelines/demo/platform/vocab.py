"""Static vocabularies of the synthetic platform: places, names, roles, the skills taxonomy.

Every text the simulation writes is built from these lists by index, so the
state stays numeric (numpy) until a row is written. The lists are fixed: a
change to them changes every generated data set.
"""

from __future__ import annotations

import numpy as np

# --- countries: code, currency, salary factor, share of candidates, native language, company suffixes
COUNTRIES = ["DE", "NL", "GB", "FR", "CH", "PL", "ES", "US"]
CURRENCY = ["EUR", "EUR", "GBP", "EUR", "CHF", "PLN", "EUR", "USD"]
CURRENCY_PER_EUR = np.array([1.0, 1.0, 0.85, 1.0, 0.95, 4.3, 1.0, 1.08])
PAY_FACTOR = np.array([1.0, 1.0, 1.1, 0.9, 1.6, 0.55, 0.75, 1.5])
COUNTRY_SHARE = np.array([0.32, 0.16, 0.14, 0.1, 0.06, 0.1, 0.07, 0.05])
NATIVE_LANGUAGE = [1, 2, 0, 3, 1, 5, 4, 0]  # index into LANGUAGES
COMPANY_SUFFIX = ["GmbH", "B.V.", "Ltd", "SAS", "AG", "Sp. z o.o.", "S.L.", "Inc."]

CITIES = [
    ("Berlin", 0), ("München", 0), ("Hamburg", 0), ("Köln", 0), ("Frankfurt am Main", 0), ("Düsseldorf", 0),
    ("Amsterdam", 1), ("Rotterdam", 1), ("Utrecht", 1), ("Eindhoven", 1),
    ("London", 2), ("Manchester", 2), ("Edinburgh", 2), ("Bristol", 2),
    ("Paris", 3), ("Lyon", 3), ("Toulouse", 3),
    ("Zürich", 4), ("Genève", 4), ("Basel", 4),
    ("Warszawa", 5), ("Kraków", 5), ("Wrocław", 5),
    ("Madrid", 6), ("Barcelona", 6), ("València", 6),
    ("New York", 7), ("Austin", 7), ("Boston", 7),
]  # fmt: skip
CITY_NAME = [c for c, _ in CITIES]
CITY_COUNTRY = np.array([k for _, k in CITIES], dtype=np.int8)
CITY_WEIGHT = np.array([5, 4, 3, 2, 3, 2, 5, 2, 2, 1, 6, 2, 1, 1, 5, 1, 1, 3, 1, 1, 4, 2, 1, 4, 3, 1, 3, 1, 1], float)

LANGUAGES = ["en", "de", "nl", "fr", "es", "pl", "it"]
PROFICIENCY = ["A2", "B1", "B2", "C1", "C2", "native"]

# --- people (display name, ASCII form for e-mail addresses)
FIRST_NAMES = [
    ("Anna", "anna"), ("Lukas", "lukas"), ("Sophie", "sophie"), ("Jonas", "jonas"), ("Emma", "emma"),
    ("Noah", "noah"), ("Mia", "mia"), ("Finn", "finn"), ("Lea", "lea"), ("Ben", "ben"), ("Zoë", "zoe"),
    ("Łukasz", "lukasz"), ("Agnieszka", "agnieszka"), ("Piotr", "piotr"), ("José", "jose"), ("Lucía", "lucia"),
    ("Javier", "javier"), ("Marta", "marta"), ("Chloé", "chloe"), ("Hugo", "hugo"), ("Léa", "lea"),
    ("Thomas", "thomas"), ("Olivia", "olivia"), ("Oliver", "oliver"), ("Amelia", "amelia"), ("George", "george"),
    ("Isla", "isla"), ("Harry", "harry"), ("Daan", "daan"), ("Sanne", "sanne"), ("Bram", "bram"), ("Fleur", "fleur"),
    ("Priya", "priya"), ("Arjun", "arjun"), ("Wei", "wei"), ("Mei", "mei"), ("Omar", "omar"), ("Fatima", "fatima"),
    ("Ivan", "ivan"), ("Olga", "olga"), ("Kemal", "kemal"), ("Elif", "elif"), ("Sean", "sean"), ("Aoife", "aoife"),
    ("Matteo", "matteo"), ("Giulia", "giulia"), ("Jan", "jan"), ("Eva", "eva"), ("Max", "max"), ("Nora", "nora"),
]  # fmt: skip
LAST_NAMES = [
    ("Müller", "mueller"), ("Schmidt", "schmidt"), ("Schneider", "schneider"), ("Fischer", "fischer"),
    ("Weber", "weber"), ("Meyer", "meyer"), ("Wagner", "wagner"), ("Becker", "becker"), ("de Vries", "devries"),
    ("Jansen", "jansen"), ("van Dijk", "vandijk"), ("Bakker", "bakker"), ("Smith", "smith"), ("Jones", "jones"),
    ("Taylor", "taylor"), ("Brown", "brown"), ("O'Brien", "obrien"), ("Martin", "martin"), ("Bernard", "bernard"),
    ("Dubois", "dubois"), ("Lefèvre", "lefevre"), ("Nowak", "nowak"), ("Kowalski", "kowalski"),
    ("Wiśniewska", "wisniewska"), ("García", "garcia"), ("Fernández", "fernandez"), ("López", "lopez"),
    ("Martínez", "martinez"), ("Rossi", "rossi"), ("Bianchi", "bianchi"), ("Novak", "novak"), ("Horvat", "horvat"),
    ("Patel", "patel"), ("Singh", "singh"), ("Chen", "chen"), ("Wang", "wang"), ("Yılmaz", "yilmaz"),
    ("Kaya", "kaya"), ("Ivanova", "ivanova"), ("Petrov", "petrov"), ("Murphy", "murphy"), ("Kelly", "kelly"),
    ("Keller", "keller"), ("Huber", "huber"), ("Baumann", "baumann"), ("Lambert", "lambert"),
]  # fmt: skip
MAIL_DOMAINS = ["mailbox.example", "post.example", "inbox.example", "webmail.example"]

# --- employers
NAME_A = [
    "Blue", "North", "Nova", "Bright", "Alpine", "Delta", "Quantum", "Silver", "Green", "Urban", "Polar", "Iron",
    "Clear", "Swift", "Harbor", "Summit", "Atlas", "Orbit", "Cedar", "Vector", "Prime", "Lumen", "Rhine", "Baltic",
]  # fmt: skip
NAME_B = [
    "Logistics", "Systems", "Analytics", "Energy", "Health", "Retail", "Finance", "Mobility", "Robotics", "Media",
    "Software", "Foods", "Insurance", "Labs", "Networks", "Pharma", "Capital", "Works", "Telecom", "Consulting",
]  # fmt: skip
INDUSTRIES = [
    "Software", "Financial services", "Insurance", "Retail", "Logistics", "Manufacturing", "Healthcare", "Energy",
    "Telecommunications", "Public sector", "Consulting", "Media",
]  # fmt: skip
SIZE_BANDS = ["1-10", "11-50", "51-200", "201-1000", "1001-5000", "5000+"]
EMPLOYER_USER_ROLES = ["owner", "recruiter", "hiring_manager"]
ACCOUNT_MANAGERS = [
    "Nora Fischer", "Tom Bakker", "Aisha Khan", "Pieter de Groot", "Claire Martin", "Marek Zieliński",
    "Laura Gómez", "Ben Carter", "Julia Wolf", "Sven Lindqvist",
]  # fmt: skip
CONTRACT_TIERS = ["Bronze", "Silver", "Gold", "Platinum"]

# --- jobs and candidates
SENIORITY = ["Junior", "Medior", "Senior", "Lead", "Principal"]
SENIORITY_YEARS = np.array([0, 2, 5, 9, 14])  # lower bound of years of experience for each level
SENIORITY_PAY = np.array([0.7, 1.0, 1.3, 1.6, 1.9])
ROLES = [
    "Data Engineer", "Backend Developer", "Frontend Developer", "Full-Stack Developer", "DevOps Engineer",
    "Data Scientist", "Machine Learning Engineer", "Cloud Architect", "Security Engineer", "QA Engineer",
    "Mobile Developer", "SAP Consultant", "Business Analyst", "Project Manager", "Scrum Master", "Data Analyst",
]  # fmt: skip
ROLE_PAY_EUR = np.array([68, 65, 58, 64, 70, 72, 78, 90, 80, 52, 60, 85, 60, 70, 62, 55], float) * 1000.0
ROLE_WEIGHT = np.array([9, 12, 8, 9, 7, 6, 4, 3, 3, 4, 3, 3, 5, 5, 3, 6], float)
TAGLINES = ["", "", " | open to remote work", " | freelance", " | available for contracts", " | team player"]
AVAILABILITY = ["immediately", "2_weeks", "1_month", "3_months", "not_looking"]
REMOTE = ["onsite", "hybrid", "remote"]
CONTRACT_TYPES = ["permanent", "contract"]
JOB_STATUS = ["draft", "open", "filled", "expired", "closed"]
PERKS = ["a learning budget", "flexible hours", "a company car", "30 days of holiday", "stock options"]

# --- skills taxonomy: (name, category, parent name or "")
SKILLS = [
    ("Python", "language", ""), ("Java", "language", ""), ("JavaScript", "language", ""),
    ("TypeScript", "language", "JavaScript"), ("Go", "language", ""), ("Rust", "language", ""),
    ("C#", "language", ""), ("Kotlin", "language", "Java"), ("Scala", "language", "Java"), ("SQL", "language", ""),
    ("PHP", "language", ""), ("Swift", "language", ""), ("Perl", "language", ""), ("ABAP", "language", ""),
    ("Django", "framework", "Python"), ("FastAPI", "framework", "Python"), ("Spring", "framework", "Java"),
    ("React", "framework", "JavaScript"), ("Angular", "framework", "TypeScript"), ("Vue.js", "framework", "JavaScript"),
    ("jQuery", "framework", "JavaScript"), (".NET", "framework", "C#"), ("Flutter", "framework", ""),
    ("PostgreSQL", "data", "SQL"), ("Snowflake", "data", "SQL"), ("dbt", "data", "SQL"), ("Spark", "data", "Scala"),
    ("Kafka", "data", ""), ("Airflow", "data", "Python"), ("Hadoop", "data", "Java"), ("Data Vault", "data", "SQL"),
    ("Power BI", "data", ""), ("Tableau", "data", ""), ("pandas", "data", "Python"),
    ("PyTorch", "machine learning", "Python"), ("TensorFlow", "machine learning", "Python"),
    ("LLM", "machine learning", ""), ("scikit-learn", "machine learning", "Python"),
    ("AWS", "cloud", ""), ("Azure", "cloud", ""), ("GCP", "cloud", ""), ("Kubernetes", "cloud", ""),
    ("Docker", "cloud", ""), ("Terraform", "cloud", ""), ("Linux", "cloud", ""), ("CI/CD", "cloud", ""),
    ("OWASP", "security", ""), ("IAM", "security", ""), ("Penetration testing", "security", ""),
    ("Selenium", "testing", ""), ("Cypress", "testing", "JavaScript"), ("SAP S/4HANA", "enterprise", "ABAP"),
    ("SAP FI/CO", "enterprise", ""), ("Jira", "methods", ""), ("Scrum", "methods", ""), ("Kanban", "methods", ""),
    ("PRINCE2", "methods", ""), ("Stakeholder management", "methods", ""), ("Requirements analysis", "methods", ""),
    ("Excel", "methods", ""), ("iOS", "mobile", "Swift"), ("Android", "mobile", "Kotlin"),
]  # fmt: skip
SKILL_NAME = [s for s, _, _ in SKILLS]
# relative demand of each skill at launch, one digit per skill in the order of SKILLS
SKILL_BASE = np.array([int(d) for d in "98863152293222325743241632333213242212763563541112222552133322"], float)
# weekly growth of demand: rising skills gain, fading ones lose (drift over the weeks of the simulation)
SKILL_TREND = {"Rust": 0.05, "LLM": 0.08, "dbt": 0.04, "Kubernetes": 0.02, "Terraform": 0.03, "Snowflake": 0.03}
SKILL_FADE = {"jQuery": -0.03, "Perl": -0.03, "Hadoop": -0.04, "PRINCE2": -0.02}
ROLE_SKILLS = [
    ["Python", "SQL", "Spark", "Kafka", "Airflow", "dbt", "Snowflake", "AWS", "Data Vault", "Hadoop"],
    ["Java", "Spring", "Python", "Go", "PostgreSQL", "Docker", "Kafka", "C#", ".NET", "Kotlin", "Rust", "PHP"],
    ["JavaScript", "TypeScript", "React", "Angular", "Vue.js", "jQuery", "Cypress"],
    ["JavaScript", "TypeScript", "React", "Python", "Django", "PostgreSQL", "Docker", "Java", "Spring"],
    ["Kubernetes", "Docker", "Terraform", "AWS", "Azure", "Linux", "CI/CD", "GCP", "Go"],
    ["Python", "pandas", "scikit-learn", "SQL", "PyTorch", "TensorFlow", "LLM", "Tableau"],
    ["Python", "PyTorch", "TensorFlow", "LLM", "Kubernetes", "AWS", "scikit-learn", "Rust"],
    ["AWS", "Azure", "GCP", "Kubernetes", "Terraform", "IAM", "Kafka"],
    ["OWASP", "IAM", "Penetration testing", "Linux", "AWS", "Python"],
    ["Selenium", "Cypress", "Java", "Python", "CI/CD", "Jira"],
    ["Swift", "Kotlin", "iOS", "Android", "Flutter", "React"],
    ["ABAP", "SAP S/4HANA", "SAP FI/CO", "Excel"],
    ["Requirements analysis", "SQL", "Excel", "Jira", "Stakeholder management", "Power BI"],
    ["PRINCE2", "Scrum", "Stakeholder management", "Jira", "Kanban", "Excel"],
    ["Scrum", "Kanban", "Jira", "Stakeholder management"],
    ["SQL", "Power BI", "Tableau", "Excel", "Python", "pandas", "Snowflake", "dbt"],
]
SKILL_INDEX = {name: i for i, name in enumerate(SKILL_NAME)}
ROLE_SKILL_IDX = [np.array([SKILL_INDEX[s] for s in names]) for names in ROLE_SKILLS]
SKILL_PARENT = np.array([SKILL_INDEX[p] if p else -1 for _, _, p in SKILLS])

# --- events and partner boards
SEARCH_WORDS = ["", "senior", "remote", "freelance", "lead", "junior", "contract", "part-time"]
LOGIN_METHODS = ["password", "google", "linkedin"]
CHANNELS = ["direct", "search", "recommendation", "referral", "board_a", "board_b"]
CHANNEL_WEIGHT = np.array([0.38, 0.25, 0.15, 0.08, 0.08, 0.06])
APPLICATION_STATUS = ["applied", "screening", "interview", "offer", "hired", "rejected", "withdrawn"]
