"""The real cities the demo clinics are placed in, with local streets, neighbourhoods and formats.

Each city is matched to a row of the `cities` table by its GeoNames name, country and
admin1 code; coordinates always come from that table, never from here.  Postal codes and
phone numbers are patterns: `#` is a digit, `@` a capital letter.  Phone patterns use the
ranges set aside for fiction where a country has them (555-01xx in North America, Ofcom's
drama numbers in the UK, ACMA's in Australia).
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class CountryStyle:
    currency: str
    # Typical price of a 60-minute session in `currency`, low and high.
    price_band: tuple[int, int]
    price_step: int
    therapist_title: str
    centre_spelling: str
    number_after_street: bool
    # The language everyone at a clinic in this country speaks, if not English.
    local_language: str


# fmt: off
COUNTRY_STYLES: dict[str, CountryStyle] = {
    "CA": CountryStyle("CAD", (95, 145), 5, "Registered massage therapist", "Centre", False, "en"),
    "US": CountryStyle("USD", (85, 160), 5, "Licensed massage therapist", "Center", False, "en"),
    "GB": CountryStyle("GBP", (50, 90), 5, "Sports and remedial massage therapist", "Centre",
                       False, "en"),
    "AU": CountryStyle("AUD", (85, 130), 5, "Remedial massage therapist", "Centre", False, "en"),
    "TH": CountryStyle("THB", (450, 1500), 50, "Traditional Thai massage therapist", "Centre",
                       False, "th"),
    "DE": CountryStyle("EUR", (55, 95), 5, "Massage therapist", "Zentrum", True, "de"),
    "IE": CountryStyle("EUR", (60, 90), 5, "Massage therapist", "Centre", False, "en"),
    "NL": CountryStyle("EUR", (60, 95), 5, "Massage therapist", "Centrum", True, "nl"),
    "NZ": CountryStyle("NZD", (85, 130), 5, "Massage therapist", "Centre", False, "en"),
}
# fmt: on


@dataclass(frozen=True)
class DemoCity:
    name: str  # as GeoNames spells it
    country: str
    admin1: str
    weight: int  # relative share of the demo clinics
    neighbourhoods: tuple[str, ...]
    streets: tuple[str, ...]
    postcodes: tuple[str, ...]
    phone: str
    # Name cultures of the people who live here, with weights (see people.py).
    cultures: tuple[tuple[str, int], ...]
    # Languages beyond the local one that therapists here often offer.
    community_languages: tuple[str, ...] = ()
    local_language: str = ""  # overrides the country's, e.g. French in Montréal

    @property
    def style(self) -> CountryStyle:
        return COUNTRY_STYLES[self.country]

    @property
    def language(self) -> str:
        return self.local_language or self.style.local_language


# fmt: off
NORTH_AMERICA = (("anglo", 55), ("east_asian", 12), ("south_asian", 12), ("hispanic", 10),
                 ("slavic", 6))
US_MIX = (("anglo", 55), ("hispanic", 20), ("east_asian", 10), ("south_asian", 7), ("slavic", 5))
UK_MIX = (("anglo", 70), ("south_asian", 12), ("slavic", 7), ("irish", 6), ("east_asian", 5))
AU_MIX = (("anglo", 68), ("east_asian", 16), ("south_asian", 8), ("irish", 5))

DEMO_CITIES: tuple[DemoCity, ...] = (
    DemoCity("Toronto", "CA", "08", 9,
             ("Leslieville", "Liberty Village", "Yorkville", "The Annex", "Roncesvalles",
              "Danforth"),
             ("Queen Street West", "King Street East", "Spadina Avenue", "Yonge Street",
              "Bloor Street West", "Danforth Avenue", "College Street", "Roncesvalles Avenue"),
             ("M5V #@#", "M6J #@#", "M4M #@#", "M5R #@#", "M6R #@#"), "+1 416-555-01##",
             NORTH_AMERICA, ("zh", "pa", "tl", "pt", "it", "ur", "ta", "fr")),
    DemoCity("Vancouver", "CA", "02", 6,
             ("Kitsilano", "Mount Pleasant", "Yaletown", "Gastown", "Commercial Drive",
              "Point Grey"),
             ("West 4th Avenue", "Main Street", "Commercial Drive", "Robson Street",
              "Davie Street", "Granville Street"),
             ("V6K #@#", "V5T #@#", "V6B #@#", "V5L #@#"), "+1 604-555-01##",
             (("anglo", 45), ("east_asian", 30), ("south_asian", 15), ("slavic", 5)),
             ("zh", "pa", "ko", "tl", "fa", "ja")),
    DemoCity("Montréal", "CA", "10", 6,
             ("Plateau", "Mile End", "Outremont", "Griffintown", "Verdun", "Rosemont"),
             ("Rue Saint-Denis", "Boulevard Saint-Laurent", "Avenue du Mont-Royal Est",
              "Rue Notre-Dame Ouest", "Avenue Laurier Ouest", "Rue Wellington"),
             ("H2J #@#", "H2T #@#", "H3C #@#", "H4G #@#"), "+1 514-555-01##",
             (("french", 65), ("anglo", 15), ("hispanic", 8), ("slavic", 6), ("east_asian", 6)),
             ("en", "es", "ar", "it", "pt"), "fr"),
    DemoCity("Calgary", "CA", "01", 4,
             ("Kensington", "Beltline", "Inglewood", "Mission", "Bridgeland"),
             ("17 Avenue SW", "4 Street SW", "Kensington Road NW", "9 Avenue SE",
              "Edmonton Trail NE"),
             ("T2S #@#", "T2R #@#", "T2G #@#", "T2N #@#"), "+1 403-555-01##",
             NORTH_AMERICA, ("pa", "tl", "zh", "es", "ur")),
    DemoCity("Ottawa", "CA", "08", 3,
             ("The Glebe", "Westboro", "ByWard Market", "Hintonburg", "Centretown"),
             ("Bank Street", "Elgin Street", "Wellington Street West", "Rideau Street",
              "Somerset Street West"),
             ("K1S #@#", "K1Y #@#", "K1N #@#", "K2P #@#"), "+1 613-555-01##",
             (("anglo", 55), ("french", 25), ("south_asian", 8), ("east_asian", 7), ("slavic", 5)),
             ("fr", "ar", "zh", "es")),
    DemoCity("Edmonton", "CA", "01", 3,
             ("Old Strathcona", "Garneau", "Oliver", "Ritchie", "Westmount"),
             ("Whyte Avenue", "Jasper Avenue", "124 Street NW", "109 Street NW",
              "Stony Plain Road"),
             ("T6E #@#", "T5K #@#", "T6G #@#", "T5N #@#"), "+1 780-555-01##",
             NORTH_AMERICA, ("pa", "tl", "uk", "zh")),
    DemoCity("Victoria", "CA", "02", 2,
             ("James Bay", "Fernwood", "Oak Bay", "Cook Street Village"),
             ("Fort Street", "Government Street", "Cook Street", "Oak Bay Avenue"),
             ("V8V #@#", "V8R #@#", "V8W #@#"), "+1 250-555-01##",
             NORTH_AMERICA, ("zh", "fr")),
    DemoCity("Halifax", "CA", "07", 2,
             ("North End", "South End", "Quinpool", "Downtown Halifax"),
             ("Spring Garden Road", "Quinpool Road", "Agricola Street", "Barrington Street"),
             ("B3H #@#", "B3K #@#", "B3L #@#"), "+1 902-555-01##",
             NORTH_AMERICA, ("fr", "ar")),
    DemoCity("Winnipeg", "CA", "03", 2,
             ("Osborne Village", "Corydon", "Wolseley", "Exchange District"),
             ("Corydon Avenue", "Osborne Street", "Portage Avenue", "Academy Road"),
             ("R3L #@#", "R3M #@#", "R3G #@#"), "+1 204-555-01##",
             NORTH_AMERICA, ("tl", "pa", "uk", "fr")),
    DemoCity("Québec", "CA", "10", 2,
             ("Saint-Roch", "Montcalm", "Limoilou", "Saint-Jean-Baptiste"),
             ("Rue Saint-Jean", "Avenue Cartier", "Boulevard René-Lévesque Ouest",
              "Rue Saint-Joseph Est"),
             ("G1R #@#", "G1K #@#", "G1L #@#"), "+1 418-555-01##",
             (("french", 90), ("anglo", 6), ("hispanic", 4)), ("en", "es"), "fr"),
    DemoCity("New York City", "US", "NY", 9,
             ("Chelsea", "Upper West Side", "Williamsburg", "Park Slope", "Tribeca", "Astoria"),
             ("Broadway", "Lexington Avenue", "West 14th Street", "Bedford Avenue",
              "Amsterdam Avenue", "East 86th Street"),
             ("100##", "101##", "112##"), "+1 212-555-01##",
             US_MIX, ("es", "zh", "ru", "ko", "el", "he")),
    DemoCity("Chicago", "US", "IL", 5,
             ("Lincoln Park", "Wicker Park", "Logan Square", "Lakeview", "Andersonville"),
             ("North Clark Street", "West Armitage Avenue", "North Milwaukee Avenue",
              "West Division Street", "North Southport Avenue"),
             ("606##",), "+1 312-555-01##", US_MIX, ("es", "pl", "zh", "tl")),
    DemoCity("Austin", "US", "TX", 4,
             ("Zilker", "Travis Heights", "Hyde Park", "East Austin", "Mueller"),
             ("South Congress Avenue", "South Lamar Boulevard", "East 6th Street", "Burnet Road",
              "West Anderson Lane"),
             ("787##",), "+1 512-555-01##", US_MIX, ("es", "vi", "hi")),
    DemoCity("Seattle", "US", "WA", 4,
             ("Capitol Hill", "Ballard", "Fremont", "Queen Anne", "Wallingford"),
             ("Pike Street", "15th Avenue East", "NW Market Street", "Fremont Avenue North",
              "Roosevelt Way NE"),
             ("981##",), "+1 206-555-01##", US_MIX, ("zh", "vi", "ko", "es")),
    DemoCity("San Francisco", "US", "CA", 4,
             ("Mission", "Noe Valley", "Marina", "Hayes Valley", "Inner Sunset"),
             ("Valencia Street", "Fillmore Street", "Chestnut Street", "Irving Street",
              "24th Street"),
             ("941##",), "+1 415-555-01##", US_MIX, ("zh", "es", "tl", "ru")),
    DemoCity("Los Angeles", "US", "CA", 5,
             ("Silver Lake", "Venice", "Los Feliz", "Echo Park", "West Hollywood"),
             ("Abbot Kinney Boulevard", "Sunset Boulevard", "Melrose Avenue", "Wilshire Boulevard",
              "Hillhurst Avenue"),
             ("900##", "902##"), "+1 323-555-01##", US_MIX, ("es", "ko", "fa", "tl", "th")),
    DemoCity("Denver", "US", "CO", 3,
             ("Highlands", "Cherry Creek", "RiNo", "Washington Park", "Capitol Hill"),
             ("South Broadway", "East Colfax Avenue", "Larimer Street", "Tennyson Street",
              "South Pearl Street"),
             ("802##",), "+1 303-555-01##", US_MIX, ("es",)),
    DemoCity("Portland", "US", "OR", 3,
             ("Pearl District", "Hawthorne", "Alberta Arts", "Sellwood", "Nob Hill"),
             ("NW 23rd Avenue", "SE Division Street", "N Mississippi Avenue",
              "SE Hawthorne Boulevard", "NE Alberta Street"),
             ("972##",), "+1 503-555-01##", US_MIX, ("es", "vi", "ru")),
    DemoCity("Boston", "US", "MA", 3,
             ("Back Bay", "South End", "Jamaica Plain", "Beacon Hill", "Fenway"),
             ("Newbury Street", "Boylston Street", "Tremont Street", "Centre Street",
              "Washington Street"),
             ("021##",), "+1 617-555-01##", US_MIX, ("es", "pt", "zh")),
    DemoCity("Miami", "US", "FL", 3,
             ("Brickell", "Coconut Grove", "Wynwood", "Coral Gables", "Little Havana"),
             ("Collins Avenue", "Biscayne Boulevard", "Coral Way", "SW 8th Street",
              "Brickell Avenue"),
             ("331##",), "+1 305-555-01##",
             (("hispanic", 55), ("anglo", 35), ("slavic", 5), ("east_asian", 5)), ("es", "pt")),
    DemoCity("Minneapolis", "US", "MN", 2,
             ("Uptown", "Northeast", "Linden Hills", "North Loop", "Longfellow"),
             ("Hennepin Avenue", "Lyndale Avenue South", "Nicollet Avenue", "East Lake Street",
              "Central Avenue NE"),
             ("554##",), "+1 612-555-01##", US_MIX, ("es", "vi")),
    DemoCity("San Diego", "US", "CA", 3,
             ("North Park", "Hillcrest", "La Jolla", "Little Italy", "Ocean Beach"),
             ("University Avenue", "Adams Avenue", "India Street", "Garnet Avenue", "30th Street"),
             ("921##",), "+1 619-555-01##", US_MIX, ("es", "tl", "vi")),
    DemoCity("London", "GB", "ENG", 9,
             ("Islington", "Clapham", "Marylebone", "Notting Hill", "Bermondsey", "Hackney"),
             ("Upper Street", "Clapham High Street", "Marylebone High Street", "Portobello Road",
              "Bermondsey Street", "Mare Street"),
             ("N1 #@@", "SW4 #@@", "W1U #@@", "W11 #@@", "SE1 #@@", "E8 #@@"), "+44 20 7946 0###",
             UK_MIX, ("pl", "hi", "ur", "pt", "es", "it", "ar")),
    DemoCity("Manchester", "GB", "ENG", 3,
             ("Northern Quarter", "Didsbury", "Chorlton", "Ancoats", "Spinningfields"),
             ("Oldham Street", "Deansgate", "Burton Road", "Wilmslow Road", "Beech Road"),
             ("M1 #@@", "M4 #@@", "M20 #@@", "M21 #@@"), "+44 161 496 0###",
             UK_MIX, ("ur", "pa", "pl", "ar")),
    DemoCity("Edinburgh", "GB", "SCT", 2,
             ("Stockbridge", "Bruntsfield", "Leith", "New Town", "Morningside"),
             ("Raeburn Place", "Bruntsfield Place", "Leith Walk", "George Street",
              "Morningside Road"),
             ("EH1 #@@", "EH3 #@@", "EH6 #@@", "EH10 #@@"), "+44 131 496 0###",
             UK_MIX, ("pl", "zh")),
    DemoCity("Bristol", "GB", "ENG", 2,
             ("Clifton", "Redland", "Bedminster", "Harbourside", "Montpelier"),
             ("Gloucester Road", "Whiteladies Road", "North Street", "Park Street", "Cotham Hill"),
             ("BS1 #@@", "BS6 #@@", "BS8 #@@", "BS3 #@@"), "+44 117 496 0###", UK_MIX, ("pl",)),
    DemoCity("Brighton", "GB", "ENG", 2,
             ("Kemptown", "Hove", "North Laine", "Seven Dials"),
             ("Western Road", "Church Road", "Gardner Street", "Preston Road", "Sydney Street"),
             ("BN1 #@@", "BN2 #@@", "BN3 #@@"), "+44 1632 960###", UK_MIX, ("es", "pt")),
    DemoCity("Sydney", "AU", "02", 5,
             ("Surry Hills", "Newtown", "Bondi", "Paddington", "Glebe", "Manly"),
             ("Crown Street", "King Street", "Military Road", "Oxford Street", "Glebe Point Road"),
             ("20##",), "+61 2 5550 ####", AU_MIX, ("zh", "ar", "vi", "el", "ko")),
    DemoCity("Melbourne", "AU", "07", 5,
             ("Fitzroy", "Carlton", "Richmond", "St Kilda", "Brunswick", "South Yarra"),
             ("Brunswick Street", "Chapel Street", "Lygon Street", "Smith Street", "Acland Street"),
             ("30##", "31##"), "+61 3 7010 ####", AU_MIX, ("el", "it", "zh", "vi")),
    DemoCity("Brisbane", "AU", "04", 3,
             ("New Farm", "Paddington", "West End", "Fortitude Valley", "Bulimba"),
             ("James Street", "Boundary Street", "Latrobe Terrace", "Given Terrace", "Logan Road"),
             ("40##", "41##"), "+61 7 5550 ####", AU_MIX, ("zh", "ko")),
    DemoCity("Perth", "AU", "08", 2,
             ("Mount Lawley", "Leederville", "Subiaco", "Northbridge", "Claremont"),
             ("Beaufort Street", "Oxford Street", "Hay Street", "Rokeby Road", "Walcott Street"),
             ("60##",), "+61 8 5550 ####", AU_MIX, ("zh", "it")),
    DemoCity("Bangkok", "TH", "40", 6,
             ("Silom", "Sukhumvit", "Thong Lo", "Ari", "Sathorn", "Ekkamai"),
             ("Silom Road", "Charoen Krung Road", "Sukhumvit Soi 24", "Surawong Road",
              "Sathorn Road", "Phahonyothin Soi 7"),
             ("10500", "10110", "10120", "10400", "10330"), "+66 2 2## ####",
             (("thai", 88), ("anglo", 8), ("east_asian", 4)), ("en", "zh", "ja")),
    DemoCity("Chiang Mai", "TH", "02", 4,
             ("Nimman", "Old City", "Santitham", "Chang Phueak", "Wat Ket"),
             ("Nimmanhaemin Road", "Ratchadamnoen Road", "Tha Phae Road", "Loi Kroh Road",
              "Huay Kaew Road"),
             ("50200", "50300", "50000"), "+66 53 2## ###",
             (("thai", 90), ("anglo", 10)), ("en", "zh")),
    DemoCity("Phuket", "TH", "62", 2,
             ("Old Town", "Kata", "Patong", "Chalong"),
             ("Thalang Road", "Rat-U-Thit 200 Pi Road", "Chaofa West Road", "Patak Road"),
             ("83000", "83100", "83150"), "+66 76 3## ###",
             (("thai", 85), ("anglo", 15)), ("en", "ru", "zh")),
    DemoCity("Berlin", "DE", "16", 5,
             ("Prenzlauer Berg", "Kreuzberg", "Neukölln", "Charlottenburg", "Friedrichshain",
              "Mitte"),
             ("Kastanienallee", "Bergmannstraße", "Oranienstraße", "Kantstraße",
              "Schönhauser Allee", "Weserstraße"),
             ("10###", "12###"), "+49 30 2### ####",
             (("german", 75), ("turkish", 10), ("slavic", 10), ("anglo", 5)),
             ("en", "tr", "pl", "ru")),
    DemoCity("Munich", "DE", "02", 3,
             ("Schwabing", "Maxvorstadt", "Haidhausen", "Glockenbachviertel", "Sendling"),
             ("Reichenbachstraße", "Türkenstraße", "Wörthstraße", "Sendlinger Straße",
              "Leopoldstraße"),
             ("80###", "81###"), "+49 89 2### ####",
             (("german", 80), ("turkish", 7), ("slavic", 8), ("anglo", 5)), ("en", "it", "tr")),
    DemoCity("Hamburg", "DE", "04", 3,
             ("St. Georg", "Sternschanze", "Ottensen", "Eppendorf", "Winterhude"),
             ("Lange Reihe", "Schanzenstraße", "Ottenser Hauptstraße", "Eppendorfer Weg",
              "Mühlenkamp"),
             ("20###", "22###"), "+49 40 3### ####",
             (("german", 78), ("turkish", 9), ("slavic", 8), ("anglo", 5)), ("en", "tr", "pl")),
    DemoCity("Dublin", "IE", "L", 3,
             ("Ranelagh", "Rathmines", "Portobello", "Stoneybatter", "Smithfield"),
             ("Camden Street", "South William Street", "Ranelagh Road", "Rathmines Road",
              "Capel Street"),
             ("D06 @###", "D02 @###", "D07 @###"), "+353 1 6## ####",
             (("irish", 70), ("anglo", 10), ("slavic", 10), ("hispanic", 5), ("east_asian", 5)),
             ("pl", "pt", "es")),
    DemoCity("Amsterdam", "NL", "07", 3,
             ("Jordaan", "De Pijp", "Oost", "Oud-West", "Zuid"),
             ("Utrechtsestraat", "Haarlemmerdijk", "Javastraat", "Ferdinand Bolstraat", "Overtoom"),
             ("1012 @@", "1015 @@", "1072 @@", "1054 @@"), "+31 20 6## ####",
             (("dutch", 75), ("turkish", 8), ("anglo", 10), ("slavic", 7)), ("en", "de", "tr")),
    DemoCity("Auckland", "NZ", "E7", 3,
             ("Ponsonby", "Grey Lynn", "Parnell", "Mt Eden", "Newmarket"),
             ("Ponsonby Road", "Karangahape Road", "Dominion Road", "Jervois Road", "Broadway"),
             ("10##",), "+64 9 3## ####",
             (("anglo", 65), ("east_asian", 20), ("south_asian", 10), ("irish", 5)),
             ("zh", "hi", "ko")),
)
# fmt: on
