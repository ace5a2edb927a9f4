"""The invented names, places and phrases a demo caseload is written with; none is a real person."""

# Names in several scripts, as a caseload in an English city has them.
GIVEN = {
    "english": [
        "Amelia",
        "Oliver",
        "Isla",
        "Noah",
        "Freya",
        "Leo",
        "Poppy",
        "Jack",
        "Evie",
        "Harry",
    ],
    "polish": ["Zofia", "Jakub", "Łucja", "Michał", "Wiktoria", "Szymon", "Zuzanna", "Mikołaj"],
    "greek": ["Ελένη", "Νίκος", "Σοφία", "Γιώργος", "Μαρία", "Δημήτρης"],
    "ukrainian": ["Олена", "Андрій", "Софія", "Максим", "Ілля", "Дарина"],
    "arabic": ["مريم", "يوسف", "ليلى", "عمر", "نور", "آدم"],
    "somali": ["Hodan", "Abdirahman", "Ifrah", "Mahad", "Sagal", "Liban"],
}
FAMILY = {
    "english": [
        "Thornbury",
        "Ashdown",
        "Kettlewell",
        "Marlow",
        "Pennington",
        "Radley",
        "Whitcombe",
    ],
    "polish": ["Wiśniewska", "Kowalczyk", "Łukaszewicz", "Zieliński", "Grabowska"],
    "greek": ["Παπαδοπούλου", "Αλεξίου", "Κωνσταντίνου", "Γεωργίου"],
    "ukrainian": ["Коваль", "Шевченко", "Бондаренко", "Мельник"],
    "arabic": ["الحسن", "العلي", "المصري", "الخطيب"],
    "somali": ["Warsame", "Farah", "Abdi", "Jama"],
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
EVENT_TEXT = {
    "police_contact": [
        "Police attended a reported argument at the home; {child} was present and asleep upstairs.",
        "Neighbour called police about shouting late at night; no arrests, advice given.",
    ],
    "school_contact": [
        "School reports {child} arrived hungry and tired on three days this week.",
        "Attendance fell to 84% this half term; school has written to the family.",
    ],
    "hospital_attendance": [
        "Attended ED with a cut to the forehead; explained as a fall from the sofa.",
        "Brought to ED by mother with a high temperature; discharged with advice.",
    ],
    "assessment": ["Child and family assessment started; social worker visited and saw {child}."],
    "strategy_meeting": [
        "Strategy discussion held; agreed single-agency follow-up by health visiting."
    ],
    "case_conference": ["Initial child protection conference; plan under the category of neglect."],
    "case_closed": ["Children's services closed the case after the early help plan was completed."],
    "change_of_household": [
        "Mother reports her new partner has moved in; name and date of birth not given."
    ],
    "anonymous_report": ["Anonymous caller concerned that {child} is left alone in the evenings."],
    "other": ["Family moved to temporary accommodation after a housing disrepair claim."],
}
VISIT_NOTES = [
    "{child} was settled and responsive, babbling and making good eye contact with mother. Home warm and "
    "tidy; safe sleep discussed and cot seen in the parents' room. Mother says she is sleeping better.",
    "Mother appeared tired and low in mood; she said the baby 'never stops crying'. Discussed sources of "
    "support and offered a listening visit; agreed to review in two weeks. {child} clean and appropriately dressed.",
    "Kitchen had little food; mother said money is tight until payday. Food bank voucher given and Healthy "
    "Start discussed. {child} playing with stacking cups and reaching for toys.",
    "Partner present throughout and answered questions for mother. {child} quiet, watched adults closely. "
    "Agreed to see mother alone at clinic next week.",
    "Development reviewed with ASQ-3; all areas above cut-off. Speech: around 20 words. Discussed toilet "
    "training and nursery place; family hopes to start in September.",
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
    "anonymous_report": ("Northshire Children's Services (anonymous caller)", "social_care"),
    "other": ("Harbour Family Support (charity)", "voluntary"),
}
CHILD_VOICE = [
    "'Mummy sad,' said while pointing at mother.",
    "Said 'I like my new bed'.",
    "Told me the dog 'bites sometimes'.",
    "Did not want to talk; hid behind the sofa.",
    None,
    None,
]
OBS = [
    ("home_environment", "Strong smell of cigarette smoke in the living room; windows closed."),
    (
        "parent_child_interaction",
        "Mother responded warmly to cues, picked {child} up when distressed.",
    ),
    ("presentation", "{child} in a dirty nappy on arrival, skin red; changed during the visit."),
    ("development", "Pulling to stand and cruising along furniture."),
    ("emotional_wellbeing", "{child} flinched when the partner raised his voice."),
    ("health", "Eczema on both forearms, emollient prescribed but not being used."),
]
CONCERN_SUMMARY = {
    "neglect": "Repeated poor home conditions and missed health appointments.",
    "domestic_abuse": "Police notifications of arguments at home with the child present.",
    "parental_mental_health": "Mother describes low mood and not coping.",
    "parental_substance_misuse": "Partner reported to be using cannabis daily at home.",
    "physical_abuse": "Bruising with an explanation that does not fit.",
    "emotional_abuse": "Child described as frightened of partner.",
}
