"""Word lists that attribution rules read, one `Lexicon` per language.

The rules (`attribution.py`, `citations.py`, `kinds.py`, `people.py`) never name an English word
themselves: word lists, and the patterns of the language's word order, live here, so a language is
added by writing its lexicon, and no rule changes. Only English exists so far; articles in other
languages still get their entities, and no claims, rather than wrong ones.
"""

from __future__ import annotations

import re
from dataclasses import dataclass


def _words(text: str) -> frozenset[str]:
    return frozenset(text.split())


def _either(words: str) -> str:
    """An alternation of `words` (space-separated) for a pattern."""
    return "|".join(words.split())


@dataclass(slots=True, frozen=True)
class Lexicon:
    # reporting verbs, every inflection that introduces reported content
    speech_verbs: frozenset[str]
    # verbs that attribute only with a document as subject ("figures showed")
    evidence_verbs: frozenset[str]
    evidence_nouns: frozenset[str]
    # "according to X", "citing X", "X reports: ..."
    according_to: str
    citing: frozenset[str]
    # words between a subject and its verb ("has also said")
    auxiliaries: frozenset[str]
    determiners: frozenset[str]
    # nouns naming an unnamed source; a citation whose head is one is anonymous
    anonymous_heads: frozenset[str]
    eyewitness_heads: frozenset[str]
    media_heads: frozenset[str]
    institution_heads: frozenset[str]
    # roles held by one identifiable person ("the envoy", "Chancellor Gordon Brown")
    person_roles: frozenset[str]
    # "Suhas Naik, an investment analyst from ...": a name followed by an appositive of an
    # indefinite article and one of these (or a person role) is a person's
    appositive_person_heads: frozenset[str]
    spokesperson_heads: frozenset[str]
    honorifics: frozenset[str]
    given_names: frozenset[str]
    pronouns_person: frozenset[str]
    # "according to him": an object pronoun stands for the person its subject form would
    pronouns_object: dict[str, str]
    pronouns_thing: frozenset[str]
    relative_pronouns: frozenset[str]
    possessives: frozenset[str]
    # hedges that report without a source ("reportedly")
    hedges: frozenset[str]
    prepositions: frozenset[str]
    # words that open a new clause after a noun phrase with no comma between
    clause_openers: frozenset[str]
    # trailing time and manner phrases cut from a subject ("officials at the time")
    time_words: frozenset[str]
    opinion_markers: frozenset[str]
    # The language's word order, as the patterns and small word sets the rules match with
    # (attribution.py): nothing outside this file names a word of the language.
    days: frozenset[str]
    first_person: frozenset[str]
    # verbs that are nouns as often ("the claims", "figures show"): verbs only before a clause
    noun_or_verb: frozenset[str]
    # reporting verbs whose object is the source ("the paper quotes a diplomat")
    quoting_verbs: frozenset[str]
    indefinite_articles: frozenset[str]
    definite_article: str
    # a word before a reporting verb that makes it a noun, a passive or an infinitive
    not_before_verb: frozenset[str]
    # first words of a phrase after an inverted verb that is a time or clause, not a source
    not_source_openers: frozenset[str]
    # "X, who ..., said": pronouns that open a relative clause set off by commas
    clause_relatives: frozenset[str]
    conjunctions: frozenset[str]  # "X echoed it but admitted ...": the subject opens the sentence
    complementizer: str  # "surprised that X said": the subject follows it
    participle_suffix: str  # "The lawsuit, filed in ..., says": an aside, not the subject
    gerund_suffix: str  # "X rejected it, saying ...": the subject opens the sentence
    recipient_verb: str  # "told Sputnik": the one it was told to relays it
    # "the company said" names no one new: it is the institution last cited
    generic_bodies: frozenset[str]
    # (kinds.py) quantifiers that leave a role unnamed: "an official", "two diplomats"
    quantifiers: frozenset[str]
    # "more than half of the respondents", "40%": the source is the group after "of", or nobody
    partitives: frozenset[str]
    partitive_of: re.Pattern[str]  # "half of the respondents": the group after it
    # documents that stay unnamed even where the article names a report's author
    unauthored_documents: frozenset[str]
    # words that make a document the media's ("press reports")
    media_modifiers: frozenset[str]
    # capitalised only because they open a sentence: before a source, and before a name
    source_openers: frozenset[str]
    name_openers: frozenset[str]
    # "a spokesman for the Foreign Office": a role of an organisation
    of_organisation: re.Pattern[str]
    # (people.py) a document with an author ("a report by Oxfam", "X said in a report")
    authored_document: re.Pattern[str]
    # verbs that make a phrase a clause rather than a name
    inner_clause: re.Pattern[str]
    # adverbials and time phrases before a subject, and trailing ones after it
    leading_adverbial: re.Pattern[str]
    trailing_time: re.Pattern[str]
    # "Sputnik news reports: ...", "..., the FT reports." (the relay), "there have been reports of"
    relay_prefix: re.Pattern[str]
    trailing_relay: re.Pattern[str]
    reports_of: re.Pattern[str]
    # the outlet after "told" ("told Sputnik that ..."), and a relative clause after a comma
    recipient: re.Pattern[str]
    relative_cut: re.Pattern[str]
    # "SANA quoted local sources as saying ...": the sources, relayed by the one who quotes them
    quoted_as: re.Pattern[str]
    agent_phrase: re.Pattern[str]  # "reports by X, which ...": the noun phrase after by/from
    opening_participle: re.Pattern[str]  # "Speaking to reporters, X said"
    evidence_from: re.Pattern[str]  # "figures from the ONS showed"
    evidence_split: re.Pattern[str]


DAYS = "Monday Tuesday Wednesday Thursday Friday Saturday Sunday"
MONTHS = "January February March April May June July August September October November December"

ENGLISH = Lexicon(
    speech_verbs=_words(
        "said says saying say told tells telling tell reported reports reporting added adds adding "
        "claimed claims claiming stated states stating warned warns warning announced announces "
        "noted notes noting stressed stresses stressing emphasized emphasised emphasizes emphasises "
        "emphasizing emphasising insisted insists insisting argued argues arguing explained explains "
        "confirmed confirms confirming denied denies denying alleged alleges alleging accused accuses "
        "accusing estimated estimates predicted predicts revealed reveals wrote writes mentioned "
        "mentions mentionned indicated indicates admitted admits acknowledged acknowledges "
        "suggested suggests believes believe believed expects expected forecast forecasts "
        "attributed attributes complained complain complains disclosed described describes "
        "asserted asserts maintained maintains contended contends quoted quotes cites cited insist "
        "warn argue "
        "predict estimate deny admit accuse report note state confirm reveal complain suggest "
        "explain stress maintain allege feels feel thinks think confessed promised promises "
        "pledged pledges hopes hoped"
    ),
    evidence_verbs=_words("show shows showed shown showing suggest suggests suggested revealed found finds"),
    evidence_nouns=_words(
        "figures data statistics survey poll study research report reports testimonies findings"
    ),
    according_to="according to",
    citing=_words("citing quoting"),
    auxiliaries=_words(
        "has have had was were is are will would could may might also has also later earlier "
        "previously then reportedly recently again repeatedly further already now separately"
    ),
    determiners=_words("the a an this these those such its their his her our my your some any"),
    anonymous_heads=_words(
        "source sources witness witnesses eyewitness eyewitnesses resident residents people locals "
        "testimony testimonies report reports official officials analyst analysts expert experts "
        "observer observers insider insiders diplomat diplomats activist activists critic critics "
        "campaigners protesters refugees economists traders dealers investors commentators "
        "watchers opponents supporters fans villagers syrians iraqis kurds americans russians "
        "insiders reporters journalists correspondents pundits lawyers doctors police-sources "
        "accounts claims rumours rumors videos footage customers consumers users viewers voters "
        "shoppers patients staff workers employees respondents passengers members parents "
        "students teachers woman women man men girl boy mother father family relatives "
        "neighbours friends groups dealer trader economist investor banker worker employee "
        "activist campaigner protester refugee analyst insider diplomat observer commentator "
        "reporter journalist critic supporter fan customer consumer user viewer voter shopper "
        "patient passenger member parent student teacher"
    ),
    eyewitness_heads=_words(
        "witness witnesses eyewitness eyewitnesses resident residents locals people villagers "
        "testimony testimonies refugees shepherd shepherds farmer farmers driver drivers passer-by "
        "passers-by"
    ),
    media_heads=_words(
        "media agency newspaper paper channel TV television radio broadcaster website daily magazine "
        "outlet programme program network tabloid weekly journal wire newswire"
    ),
    institution_heads=_words(
        "ministry government department council bank company firm group police army military forces "
        "coalition court commission office union party committee federation association organisation "
        "organization institute university board authority authorities regulator parliament "
        "Kremlin Pentagon administration embassy agency service services command corporation "
        "club league team spokesman spokeswoman spokesperson statement Ministry Government Council "
        "Commission Office Department Committee Bank Union Party Association Federation Institute "
        "Authority Agency Corporation Group Court Forces Army Police Command Organisation Organization "
        "Treasury Board Service Club companies firms banks groups governments ministries "
        "organisations organizations agencies clubs unions parties councils consortium"
    ),
    person_roles=_words(
        "president minister secretary chancellor envoy ambassador representative chief chairman speaker "
        "Speaker deputy Deputy "
        "chairwoman chair director executive economist leader general commander governor mayor "
        "premier prosecutor judge manager coach boss head founder professor MP senator lawyer "
        "spokesman-person king queen prince emir sheikh colonel major captain lieutenant sergeant "
        "President Minister Secretary Chancellor Envoy Ambassador Representative Chief Chairman "
        "Director Leader General Commander Governor Mayor Premier Prosecutor Judge "
        "Manager Coach Professor Senator King Queen Prince Colonel Major Captain Lieutenant Deputy "
        "deputy analyst strategist partner coach captain hooker striker midfielder defender "
        "goalkeeper winger actor actress singer rapper star player presenter producer author "
        "novelist consultant economist barrister solicitor journalist campaigner chef artist "
        "veteran champion skipper boss Coach Captain Chancellor"
    ),
    appositive_person_heads=_words(
        "investor trader broker banker farmer shepherd resident doctor nurse surgeon activist researcher "
        "scientist student teacher soldier officer worker engineer expert official witness eyewitness "
        "businessman businesswoman entrepreneur blogger writer historian diplomat politician lawmaker "
        "father mother son daughter man woman"
    ),
    spokesperson_heads=_words("spokesman spokeswoman spokesperson"),
    honorifics=_words("Mr Mrs Ms Miss Dr Sir Lord Lady Dame Prof Professor Mr. Mrs. Ms. Dr."),
    given_names=_words(
        # names of the regions the corpus reports on (Russia, Ukraine, the Arab world), beside English ones
        "Vyacheslav Alexey Aleksei Andrei Andrey Anatoly Arkady Artem Denis Evgeny Yevgeny Fyodor Gennady "
        "Grigory Ilya Kirill Konstantin Leonid Maxim Maria Nikolai Pavel Ramzan Stanislav Svetlana "
        "Tatiana Valentina Vasily Vitaly Yuri Yury Volodymyr Oleksandr Oleksiy Petro Mykola Andriy "
        "Dmytro Mykhailo Iryna Olena Muhammad Mohammed Mohamed Mohammad Khalid Omar Youssef Yousef "
        "Hussein Hassan Salim Samir Tariq Ziad Maher Hafez Rami Imad "
        "Adam Adrian Alan Alastair Alex Alexander Alexei Alice Alistair Andrew Andy Angela Ann Anna Anne "
        "Anthony Antonio Arnold Bashar Bassam Ben Benjamin Bernard Bill Bob Boris Brian Bruce "
        "Carlos Caroline Catherine Charles Charlie Chris Christian Christine Christopher Claire Colin "
        "Craig Dan Daniel Danny David Dennis Derek Dmitry Dmitri Donald Douglas Duncan Ed Edward "
        "Elizabeth Emily Emma Eric Frank Fred Gary Geoff George Gerhard Gordon Graham Greg Hamid "
        "Harry Hassan Helen Henry Howard Hugh Iain Ian Ivan Jack Jacques James Jamie Jane Jason "
        "Jean Jeff Jeremy Jim Joe John Jonathan Jose Joseph Julian Julie Karen Kate Keith Kelly Ken "
        "Kenneth Kevin Kim Laura Lee Leo Lisa Liz Louise Luis Maria Mark Martin Mary Matt Matthew "
        "Michael Mike Mohammad Mohammed Muhammad Nick Nicholas Nicolas Nigel Oliver Patricia Patrick "
        "Paul Peter Phil Philip Rachel Richard Rob Robert Robin Roger Ron Ruth Ryan Sam Sarah Scott "
        "Sean Sergei Sergey Simon Stephen Steve Steven Stuart Sue Susan Thomas Tim Tom Tony Valery "
        "Vladimir Walter William Yuri Ali Ahmed Ahmad Omar Hussein Abdullah Ibrahim Khalid Mahmoud "
        "Recep Jacques Silvio Junichiro Hu Kofi Condoleezza Dick Colin Ariel Mahmoud Ehud Gerry "
        "Alan Arsene Jose Sven-Goran Sven Alex Rafael Roger Lleyton Serena Venus Andy Tiger Lance "
        "Paula Kelly Jonny Clive Jose Frank Wayne Thierry Steven Rio Sol Ashley Michael Ruud Lord "
        "Sebastian Charles Kilroy Robert Tessa Hazel Patricia Ruth Alan Margaret Jack Estelle "
        "Charles Oliver Theresa Liam Nelson Vince Menzies Ming Sadiq Jacqui Hilary Harriet Ken Boris "
        "Aaron Abigail Alison Amanda Amy Andrea Angus Anita Arthur Barbara Barry Beth Betty Bobby Brad "
        "Brendan Brent Brett Brian Bridget Bryan Carl Carol Caroline Cathy Cheryl Christina Cindy "
        "Claudia Clare Connor Damian Damien Darren Dave Dean Deborah Declan Denise Diana Dominic Donna "
        "Dylan Eddie Edwin Eileen Elaine Ellen Emma Ephraim Eugene Eva Evan Fiona Francis Freddie "
        "Gabriel Gabrielle Gareth Gavin Gemma Gerald Gillian Glen Glenn Grace Grant Hannah Harold "
        "Heather Heidi Ian Isabel Jacob Jake Janet Janice Jeannie Jenny Jerry Jess Jessica Jill Joan "
        "Joanne Jodie Johnny Jon Jordan Josh Joshua Joyce Judith Judy Julia Justin Karl Kath Katie "
        "Keith Kieran Kirsty Kylie Lance Larry Laurence Lawrence Leon Leslie Lewis Linda Lindsay "
        "Lorraine Lucy Luke Lynn Malcolm Marcus Margaret Marie Marion Martha Martyn Maurice Max Megan "
        "Melanie Michelle Mikael Miles Molly Monica Morgan Nancy Naomi Natalie Neil Nathan Nicola "
        "Nicole Noel Norman Olivier Owen Pamela Pat Patrick Paula Pauline Penny Perry Pete Phillip "
        "Rebecca Rhys Ricky Rita Robbie Rod Rodney Ronan Ronald Rory Rose Ross Roy Russell Sally "
        "Samantha Sandra Shane Sharon Sheila Simone Sophie Stacey Stanley Stella Steph Stewart Susie "
        "Terry Theo Tiffany Timothy Toby Tracey Trevor Valerie Vanessa Vicky Victor Victoria Vincent "
        "Warren Wendy Will Yvonne Zoe Dwayne Danny Brent Fidelis Eddie Jean-Claude Jean-Marie Pierre "
        "Francois Nicolas Dominique Hans Klaus Wolfgang Helmut Angela Silvio Romano Giuseppe Marco "
        "Luca Carlos Juan Pedro Miguel Javier Fernando Vladimir Mikhail Dmitry Sergei Igor Oleg "
        "Viktor Yulia Ahmed Ahmad Mahmoud Mustafa Yusuf Hamid Hassan Hossein Javad Ali Reza Bassam "
        "Walid Faisal Fahd Abdul Abdel Rashid Saad Nouri Jalal Ayad Moqtada Ibrahim Kofi Thabo "
        "Jan Nelson Robert Morgan Jacob Olusegun Junichiro Shinzo Wen Jiabao Manmohan Sonia Pervez"
    ),
    pronouns_person=_words("he she He She"),
    pronouns_object={"him": "he", "Him": "He", "her": "she", "Her": "She", "them": "they", "Them": "They"},
    pronouns_thing=_words("it they It They"),
    relative_pronouns=_words("which who that"),
    possessives=_words("their its his her Their Its His Her"),
    hedges=_words("reportedly allegedly purportedly supposedly"),
    prepositions=_words("of for to from at in with on by near under over close"),
    clause_openers=_words(
        "most many some all they he she it we there this these those over more nearly about at "
        "that the a an US"
    ),
    time_words=_words(
        f"on at in last this earlier later yesterday today tonight {DAYS} week month year time weekend "
        "morning evening night also then previously recently again statement interview news conference "
        "briefing"
    ),
    opinion_markers=_words("should must ought I we We I'm we're you You opinion believe hope"),
    days=_words(DAYS),
    first_person=_words("I I'm I've we We you You me us"),
    noun_or_verb=_words(
        "report reports claim claims note notes state states estimate estimates forecast forecasts "
        "quote quoted suggest promised promises pledged pledges hopes hoped"
    ),
    quoting_verbs=_words("quotes quoted cites cited"),
    indefinite_articles=_words("a an"),
    definite_article="the",
    not_before_verb=_words("was were been being be is are to"),
    not_source_openers=_words("that on in at last this earlier later"),
    clause_relatives=_words("who whose which"),
    conjunctions=_words("but and"),
    complementizer="that",
    participle_suffix="ed",
    gerund_suffix="ing",
    recipient_verb="told",
    generic_bodies=_words("company firm group charity organisation club corporation"),
    quantifiers=_words("a an one two three several some other another many few"),
    partitives=_words("half most majority minority some many percent cent % third quarter all"),
    partitive_of=re.compile(r"\bof\b"),
    unauthored_documents=_words("reports testimonies testimony"),
    media_modifiers=_words("press"),
    source_openers=_words("More Most Many Some Half All Both Each Every Other Several Few The A An"),
    name_openers=_words(
        "But And However In On At As If When While So Then Now This That It Its Meanwhile Last After "
        "Before Since During Although Though Yet Still Also Both Some Many Most All Other For From"
    ),
    of_organisation=re.compile(
        r"\b(?:at|of|from|for)\s+(?:the\s+)?(?P<org>[A-Z][\w&'’-]+(?:\s+[A-Z][\w&'’()-]+)*)"
    ),
    authored_document=re.compile(
        r"\b(?:report|survey|study|research|statistics|figures|poll|data)\s+(?:[\w,'’]+\s+){0,14}?"
        r"(?:by|from|compiled by|carried out by|gathered by|commissioned by|conducted by)\s+"
        r"(?:\w+\s+){0,3}?(?P<author>[A-Z][\w/&'’-]+(?:\s+[A-Z][\w/&'’-]+)*)"
        r"|\b(?P<owner>[A-Z][\w/&'’-]+(?:\s+[A-Z][\w/&'’-]+)*)\s+(?:says|said|found)\s+in\s+(?:a|its)\s+(?:report|survey|study)"
        r"|\b[Ii]n its (?:report|survey|study)\b"
    ),
    inner_clause=re.compile(r"\b(?:is|are|was|were|has|have|had|will|would|do|does|did)\b"),
    leading_adverbial=re.compile(
        r"^(?:(?:But|And|However|Meanwhile|Now|Then|Still|Yet|So|Also|Instead|Separately|Earlier|Later|"
        r"Speaking|Last\s+\w+|This\s+\w+|(?:In|On|At|By|Since|During)\s+(?:\w+\s+)?(?:\d{4}|\d{1,2}|"
        rf"{_either(MONTHS)}|{_either(DAYS)})(?:\s+\d{{4}})?))\b[\s,]*"
    ),
    trailing_time=re.compile(
        r"\s+(?:at the time|on \w+day|last \w+|this \w+|earlier|later|also|in a statement|"
        r"in an interview|in a \w+ statement|on \w+ \d{1,2}|(?:has|have|had|was|were|is|are|will|would|"
        r"could|may|might|reportedly|recently|previously|again|repeatedly|further|already|now|"
        r"separately|then|first|publicly|officially|secretly|quickly|once|both|all))$"
    ),
    relay_prefix=re.compile(r"^(?P<relay>[^,.;:]{2,60}?)\s+(?:reports|reported|writes|wrote|says|said):\s+"),
    trailing_relay=re.compile(
        r",\s+(?P<relay>[^,;:]{2,40}?)\s+(?:reports|reported|has reported|says|said|writes|wrote)\.?$"
    ),
    reports_of=re.compile(
        r"\b[Tt]here (?:have|has|had) (?:also )?been (?P<src>(?:numerous |several |many |some |"
        r"unconfirmed |further |other |multiple |a number of )?(?:reports?|warnings|claims|allegations)) "
        r"(?:of|that|showing)\b"
    ),
    recipient=re.compile(
        r"^\s+(?P<np>(?:the\s+)?[A-Z][^,.;:\"“]{0,60}?)(?=\s+(?:that|on|in|about|of|before)\b|[,.;:\"“]|$)"
    ),
    relative_cut=re.compile(r",\s+(?:who|whose|which)\b"),
    quoted_as=re.compile(
        r"\b(?:quoted|quotes|cited|cites)\s+(?P<src>[^,;:]{2,80}?)\s+as\s+(?:saying|stating|telling)\b"
    ),
    agent_phrase=re.compile(r"\b(?:by|from|in)\s+(?P<np>[^,;:]+)$"),
    opening_participle=re.compile(r"^(?:Speaking|Condemning)\b"),
    evidence_from=re.compile(r"\b(?:from|by)\s+(?P<np>.+)$"),
    evidence_split=re.compile(r"\s(?:from|by|gathered|compiled|carried)\s"),
)

LEXICONS = {"en": ENGLISH}
