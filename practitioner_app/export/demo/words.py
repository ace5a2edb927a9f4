"""The invented names, places and phrases a demo caseload is written with; none is a real person."""

# Names in several scripts, as a caseload in an English city has them: given names by sex, and
# family names as (a man's or boy's form, a woman's or girl's form), since Polish and Greek family
# names change with sex (Zieliński, Zielińska).
GIVEN: dict[str, dict[str, list[str]]] = {
    "english": {
        "female": [
            "Amelia",
            "Isla",
            "Freya",
            "Poppy",
            "Evie",
            "Ruby",
            "Grace",
            "Daisy",
            "Ivy",
            "Rosie",
            "Millie",
            "Florence",
            "Harriet",
            "Lottie",
        ],
        "male": [
            "Oliver",
            "Noah",
            "Leo",
            "Jack",
            "Harry",
            "Arthur",
            "Theo",
            "Alfie",
            "Reuben",
            "Finley",
            "Oscar",
            "Albie",
            "Toby",
            "Stanley",
        ],
    },
    "polish": {
        "female": [
            "Zofia",
            "Łucja",
            "Wiktoria",
            "Zuzanna",
            "Hanna",
            "Maja",
            "Julia",
            "Lena",
            "Alicja",
            "Małgorzata",
        ],
        "male": [
            "Jakub",
            "Michał",
            "Szymon",
            "Mikołaj",
            "Antoni",
            "Jan",
            "Filip",
            "Kacper",
            "Stanisław",
            "Wojciech",
        ],
    },
    "greek": {
        "female": ["Ελένη", "Σοφία", "Μαρία", "Κατερίνα", "Αναστασία", "Δέσποινα", "Χριστίνα"],
        "male": ["Νίκος", "Γιώργος", "Δημήτρης", "Κώστας", "Παναγιώτης", "Σπύρος", "Ανδρέας"],
    },
    "ukrainian": {
        "female": ["Олена", "Софія", "Дарина", "Анна", "Марія", "Вікторія", "Соломія"],
        "male": ["Андрій", "Максим", "Ілля", "Данило", "Богдан", "Тарас", "Олександр"],
    },
    "arabic": {
        "female": ["مريم", "ليلى", "نور", "فاطمة", "زينب", "سارة", "هدى"],
        "male": ["يوسف", "عمر", "آدم", "علي", "حمزة", "إبراهيم", "خالد"],
    },
    "somali": {
        "female": ["Hodan", "Ifrah", "Sagal", "Ayaan", "Fadumo", "Hibo", "Nasra"],
        "male": ["Abdirahman", "Mahad", "Liban", "Abdi", "Yusuf", "Hassan", "Mohamed"],
    },
}
FAMILY: dict[str, list[tuple[str, str]]] = {
    "english": [
        (name, name)
        for name in (
            "Thornbury",
            "Ashdown",
            "Kettlewell",
            "Marlow",
            "Pennington",
            "Radley",
            "Whitcombe",
            "Hollis",
            "Brackley",
            "Fenwick",
            "Oakes",
            "Tillett",
        )
    ],
    "polish": [
        ("Wiśniewski", "Wiśniewska"),
        ("Kowalczyk", "Kowalczyk"),
        ("Łukaszewicz", "Łukaszewicz"),
        ("Zieliński", "Zielińska"),
        ("Grabowski", "Grabowska"),
        ("Nowak", "Nowak"),
        ("Lewandowski", "Lewandowska"),
        ("Wójcik", "Wójcik"),
    ],
    "greek": [
        ("Παπαδόπουλος", "Παπαδοπούλου"),
        ("Αλεξίου", "Αλεξίου"),
        ("Κωνσταντίνου", "Κωνσταντίνου"),
        ("Γεωργίου", "Γεωργίου"),
        ("Νικολάου", "Νικολάου"),
        ("Οικονόμου", "Οικονόμου"),
    ],
    "ukrainian": [
        (name, name)
        for name in ("Коваль", "Шевченко", "Бондаренко", "Мельник", "Ткаченко", "Кравченко")
    ],
    "arabic": [(name, name) for name in ("الحسن", "العلي", "المصري", "الخطيب", "النجار", "الزين")],
    "somali": [(name, name) for name in ("Warsame", "Farah", "Abdi", "Jama", "Omar", "Hersi")],
}
LANGUAGE = {
    "english": "English",
    "polish": "Polish",
    "greek": "Greek",
    "ukrainian": "Ukrainian",
    "arabic": "Arabic",
    "somali": "Somali",
}
STREETS = [
    "Larkspur Row",
    "Millbrook Close",
    "Tannery Lane",
    "Orchard Rise",
    "Canal Terrace",
    "Foxglove Way",
]
AGENCIES = [
    ("Northshire Police", "police"),
    ("Riverside Primary School", "education"),
    ("St Aidan's Hospital ED", "health"),
    ("Riverside Surgery", "health"),
    ("Northshire Children's Services", "social_care"),
    ("Harbour Family Support (charity)", "voluntary"),
    ("Maternal grandmother", "family"),
]
# Ages in days (from, to) between which a sentence is true of a child: nobody babbles at 14 days
# or starts toilet training at 6 weeks. A sentence with no band is true at any age.
YEAR = 365
Band = tuple[int, int]
ANY_AGE: Band = (0, 20 * YEAR)
EVENT_TEXT: dict[str, list[tuple[Band, str]]] = {
    "police_contact": [
        (
            ANY_AGE,
            "Police attended a reported argument at the home; {child} was present and "
            "asleep upstairs.",
        ),
        (
            ANY_AGE,
            "Neighbour called police about shouting late at night; no arrests, advice given.",
        ),
    ],
    "school_contact": [
        (
            (2 * YEAR, 4 * YEAR),
            "Nursery reports {child} arrived hungry and tired on three days this week.",
        ),
        ((2 * YEAR, 4 * YEAR), "Nursery attendance fell to half the booked sessions this term."),
        (
            (4 * YEAR, 20 * YEAR),
            "School reports {child} arrived hungry and tired on three days this week.",
        ),
        (
            (5 * YEAR, 20 * YEAR),
            "Attendance fell to 84% this half term; school has written to the family.",
        ),
    ],
    "hospital_attendance": [
        (
            (270, 20 * YEAR),
            "Attended ED with a cut to the forehead; explained as a fall from the sofa.",
        ),
        (ANY_AGE, "Brought to ED by mother with a high temperature; discharged with advice."),
    ],
    "assessment": [
        (ANY_AGE, "Child and family assessment started; social worker visited and saw {child}.")
    ],
    "strategy_meeting": [
        (ANY_AGE, "Strategy discussion held; agreed single-agency follow-up by health visiting.")
    ],
    "case_conference": [
        (ANY_AGE, "Initial child protection conference; plan under the category of neglect.")
    ],
    "case_closed": [
        (ANY_AGE, "Children's services closed the case after the early help plan was completed.")
    ],
    "change_of_household": [
        (ANY_AGE, "Mother reports her new partner has moved in; name and date of birth not given.")
    ],
    "anonymous_report": [
        (ANY_AGE, "Anonymous caller concerned that {child} is left alone in the evenings.")
    ],
    "other": [
        (ANY_AGE, "Family moved to temporary accommodation after a housing disrepair claim.")
    ],
}
# What the GP surgery tells a health visitor about a family with no particular needs.
GP_TEXT: list[tuple[Band, str]] = [
    ((50, 500), "Immunisations given at the surgery as scheduled; no concerns raised."),
    (ANY_AGE, "GP saw {child} for a cough and cold; advice given, no follow-up needed."),
    ((0, 2 * YEAR), "GP reviewed {child}'s nappy rash; cream prescribed."),
    ((YEAR, 20 * YEAR), "GP saw {child} for an ear infection; antibiotics prescribed."),
]
VISIT_NOTES: list[tuple[Band, str]] = [
    (
        (0, 56),
        "{child} feeding well and settled between feeds; weight gain discussed. Home warm "
        "and tidy; safe sleep discussed and Moses basket seen in the parents' room. Mother says "
        "she is getting some sleep.",
    ),
    (
        (0, 180),
        "Mother appeared tired and low in mood; she said the baby 'never stops crying'. "
        "Discussed sources of support and offered a listening visit; agreed to review in two weeks. "
        "{child} clean and appropriately dressed.",
    ),
    (
        (120, 540),
        "{child} was settled and responsive, babbling and making good eye contact with "
        "mother. Home warm and tidy; cot seen. Mother says she is sleeping better.",
    ),
    (
        (180, 2 * YEAR),
        "Kitchen had little food; mother said money is tight until payday. Food "
        "bank voucher given and Healthy Start discussed. {child} playing with stacking cups and "
        "reaching for toys.",
    ),
    (
        (180, 20 * YEAR),
        "Partner present throughout and answered questions for mother. {child} "
        "quiet, watched adults closely. Agreed to see mother alone at clinic next week.",
    ),
    (
        (700, 1100),
        "Development reviewed with ASQ-3; all areas above cut-off. Speech: around 20 "
        "words. Discussed toilet training and nursery place; family hopes to start in September.",
    ),
    (
        (3 * YEAR, 20 * YEAR),
        "{child} chatted about nursery and showed me a drawing of the "
        "family. Dry by day; school place applied for.",
    ),
]
# Who tells a practitioner about each kind of event.
EVENT_SOURCE = {
    "police_contact": ("Northshire Police", "police"),
    "school_contact": ("Riverside Primary School", "education"),
    "hospital_attendance": ("St Aidan's Hospital ED", "health"),
    "assessment": ("Northshire Children's Services", "social_care"),
    "strategy_meeting": ("Northshire Children's Services", "social_care"),
    "case_conference": ("Northshire Children's Services", "social_care"),
    "case_closed": ("Northshire Children's Services", "social_care"),
    "change_of_household": ("Maternal grandmother", "family"),
    "anonymous_report": ("Anonymous caller, via Northshire Children's Services", "other"),
    "other": ("Harbour Family Support (charity)", "voluntary"),
}
# The child's own words, from when a child has them; None: nothing said worth recording.
CHILD_VOICE: list[tuple[Band, str | None]] = [
    ((2 * YEAR, 20 * YEAR), "'Mummy sad,' said while pointing at mother."),
    ((913, 20 * YEAR), "Said 'I like my new bed'."),
    ((3 * YEAR, 20 * YEAR), "Told me the dog 'bites sometimes'."),
    ((2 * YEAR, 20 * YEAR), "Did not want to talk; hid behind the sofa."),
    (ANY_AGE, None),
    (ANY_AGE, None),
]
OBS: list[tuple[Band, str, str]] = [
    (
        ANY_AGE,
        "home_environment",
        "Strong smell of cigarette smoke in the living room; windows closed.",
    ),
    (
        ANY_AGE,
        "parent_child_interaction",
        "Mother responded warmly to cues, picked {child} up when distressed.",
    ),
    (
        (0, 3 * YEAR),
        "presentation",
        "{child} in a dirty nappy on arrival, skin red; changed during the visit.",
    ),
    ((3 * YEAR, 20 * YEAR), "presentation", "{child} in clothes too small for them and unwashed."),
    ((42, 120), "development", "Smiling responsively and following faces."),
    ((240, 450), "development", "Pulling to stand and cruising along furniture."),
    ((450, 730), "development", "Walking steadily; about ten words."),
    ((900, 20 * YEAR), "development", "Speaking in short sentences; dry by day."),
    ((180, 20 * YEAR), "emotional_wellbeing", "{child} flinched when an adult raised their voice."),
    (ANY_AGE, "health", "Eczema on both forearms, emollient prescribed but not being used."),
]
CONCERN_SUMMARY = {
    "neglect": "Repeated poor home conditions and missed health appointments.",
    "domestic_abuse": "Police notifications of arguments at home with the child present.",
    "parental_mental_health": "Mother describes low mood and not coping.",
    "parental_substance_misuse": "Partner reported to be using cannabis daily at home.",
    "physical_abuse": "Bruising with an explanation that does not fit.",
    "emotional_abuse": "Child described as frightened of partner.",
}
