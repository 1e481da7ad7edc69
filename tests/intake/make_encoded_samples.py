"""Regenerate the national-code-page samples in resources/samples (#21 item 3).

Run: python tests/intake/make_encoded_samples.py. Each file is short on purpose: a few rows are
where a detector guessing by letter frequencies goes wrong. All people are made up.
"""

from __future__ import annotations

from pathlib import Path

SAMPLES = Path(__file__).resolve().parents[2] / "resources" / "samples"

# name: (encoding, line end, text)
ENCODED: dict[str, tuple[str, str, str]] = {
    # A Polish and Czech reseller list saved by an old Unix tool in ISO-8859-2.
    "central_europe_iso8859_2.csv": (
        "iso8859_2",
        "\n",
        "First Name;Last Name;Email;Phone;Company;City;Country\n"
        "Józef;Ślązak;jozef.slazak@przyklad.pl;+48 22 123 45 67;Świętokrzyska Spółka;Kielce;PL\n"
        "Agnieszka;Woźniak;a.wozniak@przyklad.pl;+48 58 765 43 21;Łąka Sp. z o.o.;Gdańsk;PL\n"
        "Jiří;Dvořák;jiri.dvorak@priklad.cz;+420 601 123 456;Šťastný a syn s.r.o.;Brno;CZ\n"
        "Šárka;Růžičková;sarka@priklad.cz;+420 777 987 654;Žluťoučký kůň a.s.;Plzeň;CZ\n",
    ),
    # A Polish CRM export from Excel on Windows: Windows-1250, semicolons, CRLF.
    "polish_crm_cp1250.csv": (
        "cp1250",
        "\r\n",
        "Imię;Nazwisko;E-mail;Telefon;Firma;Stanowisko;Miasto\n"
        "Małgorzata;Wąsowska;m.wasowska@przyklad.pl;601 234 567;Hurtownia Źródło;Kierownik zakupów;"
        "Łódź\n"
        "Paweł;Szczęsny;pawel.szczesny@przyklad.pl;+48 12 345 67 89;Księgarnia Ślężna;Właściciel;"
        "Kraków\n"
        "Zofia;Kaźmierczak;zofia@przyklad.pl;22 111 22 33;Żabka Świeża Sp.j.;Prezes;Warszawa\n",
    ),
    # A Lithuanian and Latvian distributor list from Excel: Windows-1257 (Baltic).
    "baltic_contacts_cp1257.csv": (
        "cp1257",
        "\r\n",
        "First Name,Last Name,Email,Phone,Company,Country\n"
        "Rūta,Žukauskienė,ruta@pavyzdys.lt,+370 612 34567,UAB Ąžuolas,Lithuania\n"
        "Jonas,Šimkus,jonas.simkus@pavyzdys.lt,+370 685 11122,Kėdainių grūdai,Lithuania\n"
        "Līga,Bērziņa,liga@piemers.lv,+371 2012 3456,SIA Ķēniņš,Latvia\n",
    ),
    # A contact list from an old DOS database: code page 437, names in capitals as it kept them.
    "dos_contacts_cp437.csv": (
        "cp437",
        "\r\n",
        "NAME,COMPANY,PHONE,EMAIL,CITY\n"
        "JÜRGEN MÜLLER,BÄCKEREI KÖHLER GMBH,+49 221 1234567,jm@beispiel.de,KÖLN\n"
        "JOSE NUÑEZ,CAFE AÑEJO S.L.,+34 952 345 678,jose@ejemplo.es,MALAGA\n"
        "FRANÇOIS DUBÉ,SOCIÉTÉ GÉNÉRALE DU BATIMENT,+1 418 555 0142,fd@exemple.ca,QUÉBEC\n"
        "ÅSA STRÖM,GÖTEBORGS FÄRG AB,+46 31 123 45 67,asa@exempel.se,GÖTEBORG\n",
    ),
}


def write_samples(target: Path = SAMPLES) -> list[Path]:
    written = []
    for name, (encoding, line_end, text) in ENCODED.items():
        path = target / name
        path.write_bytes(text.replace("\n", line_end).encode(encoding))
        written.append(path)
    return written


if __name__ == "__main__":
    for path in write_samples():
        print(path)
