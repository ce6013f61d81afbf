# Copy to instance/config.py and edit. Every value can also be set as an environment variable
# SAR_<NAME> (values are read as JSON where they parse, e.g. SAR_INTERNAL_TARGET_DAYS=25).
# See sar/config.py for every setting and its safe default.

ENV = "production"

# Long random values; the app refuses to start in production without them.
SECRET_KEY = "change-me-to-64-random-characters"
FILE_ENCRYPTION_KEY = "output of: flask --app sar generate-key"

# PostgreSQL for a multi-user installation (default: SQLite in this folder).
# SQLALCHEMY_DATABASE_URI = "postgresql://sar@db.internal/sar"    # or SAR_DATABASE_URL
# REDIS_URL = "redis://127.0.0.1:6379/0"

COUNCIL_NAME = "Exampleshire County Council"
COUNCIL_SERVICE_NAME = "Subject access requests"
COUNCIL_ADDRESS = "Information Governance, Town Hall, Bridge Street, Exampletown, EX1 1AA"
COUNCIL_EMAIL = "dataprotection@exampleshire.gov.uk"
BANK_HOLIDAY_REGION = "england-and-wales"  # or "scotland", "northern-ireland"
INTERNAL_TARGET_DAYS = 28

MAIL_HOST = "smtp.exampleshire.gov.uk"
MAIL_PORT = 587
MAIL_USE_TLS = True
MAIL_FROM = "sar-noreply@exampleshire.gov.uk"
