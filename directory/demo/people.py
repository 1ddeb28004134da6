"""People's names by culture, and the email addresses reviewers write from.

A city mixes cultures with weights (see cities.py); therapists and reviewers draw from that
mix, so a Bangkok clinic has mostly Thai names and a Montréal one mostly French names.
Reviewer addresses use the reserved example domains (RFC 2606), so nothing can reach a
real mailbox.
"""

from __future__ import annotations

import random
from dataclasses import dataclass
from functools import cache
from itertools import accumulate

from slugify import slugify

from directory.core.addresses import normalize_email


@dataclass(frozen=True)
class Culture:
    female: tuple[str, ...]
    male: tuple[str, ...]
    surnames: tuple[str, ...]
    # Languages a person of this culture may offer besides the city's own.
    languages: tuple[str, ...] = ()


def _names(text: str) -> tuple[str, ...]:
    return tuple(text.split(","))


CULTURES: dict[str, Culture] = {
    "anglo": Culture(
        _names(
            "Emma,Olivia,Sophie,Charlotte,Hannah,Grace,Emily,Chloe,Megan,Sarah,Laura,Rachel,"
            "Jessica,Katie,Amy,Lucy,Natalie,Rebecca,Claire,Holly,Abigail,Madison,Lauren,Erin"
        ),
        _names(
            "James,Oliver,Jack,Thomas,William,Daniel,Matthew,Ryan,Michael,Benjamin,Samuel,"
            "Andrew,Christopher,Luke,Nathan,Adam,David,Joshua,Ethan,Tyler,Connor,Mark,Ben,Alex"
        ),
        _names(
            "Smith,Johnson,Williams,Brown,Taylor,Wilson,Davies,Evans,Thomas,Roberts,Walker,"
            "Wright,Thompson,White,Hughes,Edwards,Green,Hall,Wood,Harris,Clarke,Jackson,Turner,"
            "Hill,Moore,Cooper,Ward,Morris,King,Baker,Parker,Bennett,Collins,Stewart,Mitchell,"
            "Campbell,Anderson,Reid,Fraser,Gray"
        ),
    ),
    "irish": Culture(
        _names(
            "Aoife,Siobhan,Niamh,Ciara,Orla,Sinead,Aisling,Roisin,Caoimhe,Grainne,Maeve,Clodagh"
        ),
        _names("Cian,Eoin,Conor,Darragh,Seamus,Padraig,Oisin,Ronan,Cathal,Fergal,Niall,Declan"),
        _names(
            "Murphy,Kelly,O'Sullivan,Walsh,O'Brien,Byrne,Ryan,O'Connor,O'Neill,Doyle,McCarthy,"
            "Gallagher,Doherty,Kennedy,Lynch,Murray,Quinn,Moore,McLoughlin,Brennan"
        ),
    ),
    "french": Culture(
        _names(
            "Camille,Chloé,Léa,Manon,Émilie,Julie,Sophie,Marie-Ève,Geneviève,Isabelle,Catherine,"
            "Audrey,Mélanie,Stéphanie,Valérie,Amélie,Élodie,Justine"
        ),
        _names(
            "Mathieu,Olivier,Julien,Alexandre,Maxime,Simon,Philippe,Étienne,François,Gabriel,"
            "Louis,Antoine,Nicolas,Sébastien,Vincent,Jean-François,Guillaume,Marc-André"
        ),
        _names(
            "Tremblay,Gagnon,Roy,Côté,Bouchard,Gauthier,Morin,Lavoie,Fortin,Gagné,Ouellet,"
            "Pelletier,Bélanger,Lévesque,Bergeron,Leblanc,Paquette,Girard,Simard,Boucher,Caron,"
            "Beaulieu,Cloutier,Dubé"
        ),
        ("en",),
    ),
    "german": Culture(
        _names(
            "Anna,Lena,Laura,Julia,Katharina,Sarah,Lisa,Johanna,Marie,Hannah,Sophie,Miriam,"
            "Franziska,Carolin,Jana,Nina,Leonie,Theresa"
        ),
        _names(
            "Lukas,Jonas,Felix,Maximilian,Leon,Tobias,Florian,Jan,Niklas,Moritz,Sebastian,"
            "Philipp,Matthias,Stefan,Fabian,David,Tim,Paul"
        ),
        _names(
            "Müller,Schmidt,Schneider,Fischer,Weber,Meyer,Wagner,Becker,Schulz,Hoffmann,Koch,"
            "Richter,Klein,Wolf,Schröder,Neumann,Schwarz,Zimmermann,Braun,Krüger,Hartmann,Lange,"
            "Werner,Krause"
        ),
        ("en",),
    ),
    "dutch": Culture(
        _names("Anouk,Sanne,Lotte,Fleur,Eva,Iris,Femke,Noor,Maud,Lieke,Marieke,Esther"),
        _names("Daan,Bram,Lars,Jeroen,Thijs,Sander,Ruben,Joost,Niels,Bas,Wouter,Pieter"),
        _names(
            "de Jong,Jansen,de Vries,van den Berg,van Dijk,Bakker,Visser,Smit,Meijer,de Boer,"
            "Mulder,de Groot,Bos,Vos,Peters,Hendriks,van Leeuwen,Dekker"
        ),
        ("en", "de"),
    ),
    "thai": Culture(
        _names(
            "Nattaya,Siriporn,Kanya,Malee,Pranee,Supaporn,Wannisa,Ploy,Nok,Araya,Duangjai,"
            "Chalida,Pimchanok,Ratana,Sukanya,Waraporn,Jintana,Kulap,Ornanong,Busaba"
        ),
        _names(
            "Somchai,Anurak,Kittisak,Prasert,Somsak,Thanawat,Narong,Chaiwat,Wichai,Sompong,"
            "Arthit,Boonmee,Ekkachai,Pichit,Sakda,Teerapong"
        ),
        _names(
            "Srisuk,Chaiyaporn,Wongsawat,Rattanakorn,Saetang,Phromsuwan,Boonyarat,Kongsombat,"
            "Thongchai,Sirikul,Jaidee,Chanthara,Intharasombat,Pongpanich,Suwannarat,Kaewmanee,"
            "Sombat,Buranasiri,Yodsuwan,Maneerat"
        ),
        ("en",),
    ),
    "hispanic": Culture(
        _names(
            "María,Sofía,Valentina,Camila,Isabella,Lucía,Daniela,Gabriela,Ana,Carolina,Paula,"
            "Andrea,Mariana,Alejandra,Elena,Natalia"
        ),
        _names(
            "José,Carlos,Luis,Miguel,Javier,Diego,Alejandro,Andrés,Juan,Mateo,Santiago,"
            "Fernando,Ricardo,Eduardo,Pablo,Rafael"
        ),
        _names(
            "García,Rodríguez,Martínez,Hernández,López,González,Pérez,Sánchez,Ramírez,Torres,"
            "Flores,Rivera,Gómez,Díaz,Morales,Reyes,Cruz,Ortiz,Castillo,Romero,Vargas,Mendoza"
        ),
        ("es", "pt"),
    ),
    "south_asian": Culture(
        _names(
            "Priya,Ananya,Neha,Pooja,Kavya,Simran,Harpreet,Aisha,Fatima,Sana,Meera,Divya,"
            "Ishita,Nisha,Ayesha,Lakshmi"
        ),
        _names(
            "Arjun,Rohan,Vikram,Rahul,Aditya,Harjit,Gurpreet,Imran,Faisal,Karthik,Sanjay,"
            "Amit,Nikhil,Omar,Ravi,Suresh"
        ),
        _names(
            "Patel,Sharma,Singh,Gill,Sandhu,Khan,Ahmed,Iyer,Reddy,Nair,Gupta,Malhotra,Chaudhry,"
            "Kaur,Grewal,Hussain,Rao,Mehta,Dhillon,Qureshi"
        ),
        ("hi", "pa", "ur", "ta"),
    ),
    "east_asian": Culture(
        _names(
            "Mei,Li Na,Jia,Yuki,Hana,Ji-woo,Min-ji,Sakura,Xin,Ying,Thuy,Linh,Grace,Joy,Angela,"
            "Cherry"
        ),
        _names(
            "Wei,Jun,Hiroshi,Kenji,Min-jun,Ji-ho,Hao,Tuan,Minh,Kevin,Jason,Eric,Jerome,Paolo,"
            "Daniel,Ken"
        ),
        _names(
            "Chen,Wang,Li,Zhang,Liu,Wong,Lee,Kim,Park,Choi,Tanaka,Sato,Nguyen,Tran,Le,Santos,"
            "Reyes,Cruz,Lim,Tan,Ho,Yamamoto"
        ),
        ("zh", "ko", "ja", "vi", "tl"),
    ),
    "slavic": Culture(
        _names("Anna,Katarzyna,Agnieszka,Olga,Natalia,Irina,Oksana,Svetlana,Marta,Ewa,Yulia,Daria"),
        _names(
            "Piotr,Tomasz,Michał,Dmitri,Sergei,Andriy,Oleksandr,Pavel,Marek,Krzysztof,Ivan,Igor"
        ),
        _names(
            "Kowalski,Nowak,Wiśniewski,Wójcik,Kamiński,Ivanova,Petrenko,Kovalenko,Shevchenko,"
            "Smirnov,Popov,Zielinski,Lewandowski,Bondarenko,Novak"
        ),
        ("pl", "ru", "uk"),
    ),
    "turkish": Culture(
        _names("Elif,Zeynep,Ayşe,Fatma,Merve,Selin,Derya,Esra"),
        _names("Mehmet,Mustafa,Emre,Burak,Can,Murat,Serkan,Kemal"),
        _names(
            "Y\u0131lmaz,Kaya,Demir,Şahin,Çelik,Y\u0131ld\u0131z,Ayd\u0131n,Öztürk,Arslan,Doğan"
        ),
        ("tr",),
    ),
}


@dataclass(frozen=True)
class Person:
    first: str
    last: str
    is_female: bool
    culture: str

    @property
    def name(self) -> str:
        return f"{self.first} {self.last}"


class CultureMix:
    """A weighted choice of culture, prepared once per city so drawing is cheap."""

    def __init__(self, weights: tuple[tuple[str, int], ...]) -> None:
        self.names = [name for name, _ in weights]
        self.cumulative = list(accumulate(weight for _, weight in weights))

    def person(self, rng: random.Random) -> Person:
        culture_name = rng.choices(self.names, cum_weights=self.cumulative)[0]
        culture = CULTURES[culture_name]
        is_female = rng.random() < 0.62
        first = rng.choice(culture.female if is_female else culture.male)
        return Person(first, rng.choice(culture.surnames), is_female, culture_name)


REVIEWER_DOMAINS = (
    "example.com",
    "example.net",
    "example.org",
    "mail.example.com",
    "inbox.example.net",
    "post.example.org",
)


@cache
def _ascii_word(text: str) -> str:
    """A name as it appears in an email address: "Wiśniewski" -> "wisniewski"."""
    return slugify(text, separator="")


def reviewer_email(rng: random.Random, person: Person) -> str:
    """A plausible personal address for `person` on a reserved example domain."""
    first, last = _ascii_word(person.first), _ascii_word(person.last)
    style = rng.randrange(6)
    if style == 0:
        local = f"{first}.{last}"
    elif style == 1:
        local = f"{first[0]}{last}{rng.randrange(10, 99)}"
    elif style == 2:
        local = f"{first}{last[0]}"
    elif style == 3:
        local = f"{first}_{last}{rng.randrange(1970, 2006)}"
    elif style == 4:
        local = f"{last}.{first}"
    else:
        local = f"{first}.{last[0]}{rng.randrange(1, 999)}"
    return normalize_email(f"{local}@{rng.choice(REVIEWER_DOMAINS)}")
