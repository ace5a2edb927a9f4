"""The fixed vocabularies of the records (DOMAIN.md), as string enums stored by value."""

from enum import StrEnum


class EntryStatus(StrEnum):
    DRAFT = "draft"
    FINAL = "final"


class Sex(StrEnum):
    FEMALE = "female"
    MALE = "male"
    OTHER = "other"
    UNKNOWN = "unknown"


class VisitKind(StrEnum):
    HOME = "home"
    CLINIC = "clinic"
    SCHOOL = "school"
    HOSPITAL = "hospital"
    OFFICE = "office"
    PHONE = "phone"
    VIDEO = "video"
    OTHER = "other"


class ContactType(StrEnum):
    """The five mandated health-visiting contacts."""

    ANTENATAL = "antenatal"
    NEW_BIRTH = "new_birth"
    SIX_EIGHT_WEEK = "6_8_week"
    NINE_TWELVE_MONTH = "9_12_month"
    TWO_TWO_HALF_YEAR = "2_2half_year"


class VisitOutcome(StrEnum):
    COMPLETED = "completed"
    NO_ACCESS = "no_access"
    WAS_NOT_BROUGHT = "was_not_brought"
    CANCELLED_BY_FAMILY = "cancelled_by_family"
    CANCELLED_BY_SERVICE = "cancelled_by_service"


class ObservationCategory(StrEnum):
    HOME_ENVIRONMENT = "home_environment"
    PARENT_CHILD_INTERACTION = "parent_child_interaction"
    PRESENTATION = "presentation"
    DEVELOPMENT = "development"
    GROWTH = "growth"
    INJURY = "injury"
    EMOTIONAL_WELLBEING = "emotional_wellbeing"
    HEALTH = "health"
    OTHER = "other"


class ConcernCategory(StrEnum):
    PHYSICAL_ABUSE = "physical_abuse"
    EMOTIONAL_ABUSE = "emotional_abuse"
    SEXUAL_ABUSE = "sexual_abuse"
    NEGLECT = "neglect"
    DOMESTIC_ABUSE = "domestic_abuse"
    EXPLOITATION = "exploitation"
    PARENTAL_MENTAL_HEALTH = "parental_mental_health"
    PARENTAL_SUBSTANCE_MISUSE = "parental_substance_misuse"
    FGM = "fgm"
    RADICALISATION = "radicalisation"
    OTHER = "other"


class ConcernLevel(StrEnum):
    LOW = "low"
    MEDIUM = "medium"
    HIGH = "high"
    IMMEDIATE = "immediate"


class ConcernStatus(StrEnum):
    OPEN = "open"
    MONITORING = "monitoring"
    REFERRED = "referred"
    CLOSED = "closed"


class SourceKind(StrEnum):
    HEALTH = "health"
    SOCIAL_CARE = "social_care"
    POLICE = "police"
    EDUCATION = "education"
    VOLUNTARY = "voluntary"
    FAMILY = "family"
    OTHER = "other"


class EventKind(StrEnum):
    HOSPITAL_ATTENDANCE = "hospital_attendance"
    INJURY = "injury"
    REFERRAL = "referral"
    ASSESSMENT = "assessment"
    STRATEGY_MEETING = "strategy_meeting"
    CASE_CONFERENCE = "case_conference"
    CASE_CLOSED = "case_closed"
    NO_ACCESS = "no_access"
    WAS_NOT_BROUGHT = "was_not_brought"
    POLICE_CONTACT = "police_contact"
    SCHOOL_CONTACT = "school_contact"
    ANONYMOUS_REPORT = "anonymous_report"
    CHANGE_OF_HOUSEHOLD = "change_of_household"
    OTHER = "other"


class Significance(StrEnum):
    LOW = "low"
    MEDIUM = "medium"
    HIGH = "high"


class Consent(StrEnum):
    GIVEN = "given"
    REFUSED = "refused"
    NOT_SOUGHT = "not_sought"


class AuditAction(StrEnum):
    CREATE = "create"
    EDIT_DRAFT = "edit_draft"
    UPDATE = "update"
    FINALISE = "finalise"
    AMEND = "amend"
    DELETE_DRAFT = "delete_draft"
    IMPORT = "import"
    EXPORT = "export"
    UNLOCK = "unlock"
    FAILED_UNLOCK = "failed_unlock"
    LOCK = "lock"
    PASSPHRASE_CHANGE = "passphrase_change"
    BACKUP = "backup"
    RESTORE = "restore"
    MIGRATE = "migrate"
    CREATE_VAULT = "create_vault"
    # The leftovers of a backup or export a crash interrupted were removed (issue 16 item 2).
    CLEANUP = "cleanup"
