"""Synthetic family names in every script the PDFs must print (issue 18), shared by the PDF and
screen tests. Invented: any likeness to a real family is chance."""

FAMILY_NAMES = {
    "Polish": "Łucja Wróblewska-Żak",
    "Romanian": "Ștefan Țurcanu",
    "Turkish": "Şükrü Yıldırım Güneş",
    "Vietnamese": "Nguyễn Thị Hương",
    "Greek": "Αλέξανδρος Παπαδόπουλος",
    "Cyrillic": "Дмитрий Кузнецов",
    "Arabic": "محمد علي حسن",
    "Urdu": "عائشہ پروین",
    "Persian": "پریسا رضایی",
    "Bengali": "অমিত কুমার রায়",
    "Gujarati": "પ્રિયા પટેલ",
    "Gurmukhi": "ਹਰਪ੍ਰੀਤ ਕੌਰ",
    "Devanagari": "प्रिया शर्मा",
    "Tamil": "கிருஷ்ணன் சுப்பிரமணியம்",
    "Chinese simplified": "王晓明",
    "Chinese traditional": "陳國強",
    "Hebrew": "שרה כהן",
    "Amharic": "ሰላም ተስፋዬ",
}
# Written left to right in a script the main font has: extracted from the PDF exactly as typed.
LATIN_GREEK_CYRILLIC = ("Polish", "Romanian", "Turkish", "Vietnamese", "Greek", "Cyrillic")
