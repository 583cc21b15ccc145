"""Phrase-level knowledge no référentiel should have to declare: everyday phrases folded to one
token before matching (paraphrases of what is asked, compounds that mean another subject) and
the phrasings of small talk. Word-level knowledge (stop words, stems, English map) lives in
`knowledge.lexicon`.
"""

from __future__ import annotations

from types import MappingProxyType
from typing import Final

from knowledge.lexicon import word_set

# Everyday phrases folded to one token before matching, like the titre's own synonyms.
PHRASES: Final = (
    ("combien_temps", "combien de temps", "how long", "how much time", "cb de temps",
     "combien de mois", "combien d heures", "combien de semaines", "how many months",
     "how many hours", "how many weeks"),
    # Going back to studying is following a training.
    ("formation", "go back to school", "back to school", "reprendre mes etudes",
     "reprendre les etudes", "reprendre des etudes", "reprise de etudes", "retourner a le ecole"),
    ("jusque_quand", "jusque a quand", "jusque quand", "until when", "till when", "avant quand",
     "by when"),
    ("un_par_un", "sur plusieurs annees", "over several years", "over the years",
     "au fil des annees", "un par un", "une par une", "un a un", "one by one", "one at a time",
     "separement", "petit a petit", "en plusieurs fois", "etaler", "etale", "etalement",
     "en plusieurs annees", "spread out", "spread over"),
    ("echec", "pas le titre complet", "pas tout le titre", "pas obtenu tout le titre",
     "pas eu tout le titre", "not the full title", "not the whole title", "pas eu le titre",
     "pas obtenu le titre", "pas eu mon titre", "rate le titre",
     "rate mon titre", "echoue", "echouer", "echoue au titre", "recale", "pas reussi",
     "non obtention", "fail", "failed", "echec au titre"),
    # Public services a question may name: where to ask, never what it asks.
    ("france_travail", "france travail", "pole emploi", "anpe", "apec", "demandeur de emploi",
     "demandeurs de emploi", "demandeuse de emploi", "inscrit au chomage", "job seeker",
     "jobseeker", "unemployed", "chomage"),
    # Work-study contracts: a way to follow a training, not a fact of a référentiel.
    ("alternance", "contrat de professionnalisation", "contrat pro", "contrat de apprentissage",
     "contrat en alternance", "work study", "apprenticeship contract"),
    # "avoir le titre" is obtaining it ("avoir" alone is a function word).
    ("obtenir", "avoir le titre", "avoir ce titre", "avoir mon titre", "avoir le diplome",
     "avoir ce diplome"),
    # Asking the bot itself what it can be asked.
    ("utiliser_bot", "te demander", "te poser", "vous demander", "te utiliser", "te utilise",
     "vous utiliser", "te sers", "ask you", "tu fonctionnes", "vous fonctionnez", "tu marches",
     "how do you work"),
    # "c'est combien la VAE ?" asks a price ("c'est combien de CCP ?" counts).
    ("cout", "ce est combien la", "ce est combien le", "ce est combien les", "ce est combien une",
     "ce est combien un", "ce est combien pour", "est combien la", "est combien le",
     "est combien pour", "how much is", "how much does"),
    # The level asked to start, not the level of the titre.
    ("prerequis", "niveau pour commencer", "niveau pour entrer", "niveau pour acceder",
     "niveau pour faire", "niveau pour suivre", "niveau pour integrer", "niveau faut il",
     "niveau requis", "niveau minimum", "niveau de entree", "niveau exige", "niveau demande",
     "level required", "required level", "minimum level", "entry level"),
    ("nouveaute", "quoi de neuf", "what is new", "whats new", "du nouveau"),
    # Question intents in everyday words, folded to the word that defines what is asked.
    # Several ways of doing something are its routes ("de quelles manières", "which ways").
    ("voies", "de quelles manieres", "de quelles facons", "quelles manieres", "quelles facons",
     "plusieurs facons", "plusieurs manieres", "plusieurs moyens", "differentes facons",
     "differentes manieres", "differents moyens", "quels moyens", "quelles possibilites",
     "plusieurs possibilites", "differentes possibilites", "different ways", "which ways",
     "what ways", "several ways", "other ways", "different routes", "quelles options",
     "what options", "autres facons", "autres moyens", "autres manieres", "les facons de",
     "les manieres de", "les moyens de", "the ways to", "the different ways"),
    # The parts something is made of: its composition.
    ("composer", "make up", "makes up", "made up of", "consists of", "consist of",
     "is composed of", "de quelles parties", "quelles parties", "en combien de parties"),
    # The level in a language is the language's subject, not the titre's level.
    ("niveau_anglais", "niveau de anglais", "niveau en anglais", "english level",
     "level of english"),
    # "quand on a tous les CCP" is "once", not "when?"; years worked are experience.
    ("apres", "quand on a", "quand je ai", "quand je aurai", "quand on aura", "une fois que",
     "lorsque", "des que", "once i have", "once you have"),
    ("experience", "avoir travaille", "ai travaille", "travaille pendant", "have worked",
     "worked for", "annees de pratique", "ans de pratique", "years of practice",
     "annees de metier", "ans de metier"),
    # What one earns is a salary; a real person is the opposite of a bot.
    ("salaire", "combien on touche", "on touche combien", "combien je toucherai",
     "combien tu touches", "how much will i earn", "how much can i earn", "how much do they earn"),
    ("robot", "real person", "vraie personne", "personne reelle", "etre humain", "human being"),
    # Having one's experience recognised to get a titre is what VAE names.
    ("vae",
     "reconnaitre mon experience", "reconnaitre son experience",
     "reconnaitre votre experience", "reconnaitre ton experience",
     "reconnaitre leur experience", "valoriser mon experience", "valoriser son experience",
     "valoriser votre experience", "valoriser ton experience", "valoriser leur experience",
     "faire reconnaitre mon experience", "faire reconnaitre son experience",
     "faire reconnaitre votre experience", "faire reconnaitre ton experience",
     "faire reconnaitre leur experience", "faire valider mon experience",
     "faire valider son experience", "faire valider votre experience",
     "faire valider ton experience", "faire valider leur experience", "validate my experience",
     "recognise my experience", "recognize my experience", "experience be validated",
     "experience recognised", "experience recognized", "experience validated"),
    # What comes next is asked with "ensuite", whatever the words.
    ("ensuite", "encore une etape", "une autre etape", "prochaine etape", "etape suivante",
     "et apres", "next step", "now what", "what next", "what comes next"),
    # A titre's official number is its code.
    ("code", "numero officiel", "code officiel", "reference officielle", "numero de reference",
     "official number", "official code", "reference number"),
    # A level is placed in a national or European framework, or in terms of study years.
    ("niveau", "cadre national", "cadre des certifications",
     "nomenclature des niveaux", "en termes de niveau", "niveau de etudes", "niveau de etude",
     "niveau de diplome", "niveau scolaire", "national framework", "european framework"),
    # What someone does all day is their mission.
    ("mission", "au quotidien", "de ses journees", "de sa journee", "ses journees",
     "sa journee type", "journee type", "au jour le jour", "day to day", "daily tasks",
     "daily work", "on a daily basis", "typical day", "concretement il fait",
     "concretement on fait"),
    # A text brought up to date has changed.
    ("change", "mis a jour", "mise a jour", "mises a jour", "remis a jour", "actualise",
     "actualisee", "revise", "revisee", "been updated", "up to date", "still current"),
    # Who decides, who says yes: the deciding body.
    ("decide", "qui valide", "qui tranche", "qui statue", "statue sur", "qui se prononce",
     "who validates", "who approves"),
    # The personal training account is one thing, not "compte" + "personnel".
    ("cpf", "compte personnel de formation", "mon compte formation", "compte formation"),
    # The bot's own name: small talk, not the titre's full name.
    ("identite_bot", "ton nom", "votre nom", "your name", "tu te appelles", "vous vous appelez",
     "qui me repond", "qui repond", "a qui je parle", "who is answering", "who am i talking to",
     "who am i speaking to"),
    # A diploma's speciality names the same diploma.
    ("bts", "bts sio", "bts sn", "bts cim", "bts services informatiques aux organisations",
     "bts systemes numeriques"),
    # A level written as years after the bac is one word; "un bac+2 ou un bac+3 ?" asks the
    # titre's level all the same (bac+5 is far from it: "c'est quoi un bac+5" is elsewhere).
    ("bac_2", "bac 2", "bac plus 2", "bac plus deux", "bac 3", "bac plus 3", "bac plus trois",
     "bachelor level", "bachelor s level", "bachelors level",
     "level of a bachelor", "bachelor degree level"),
    # "this diploma" in a question about the titre is the titre itself; so is "la
    # certification" alone ("le livret de certification" is read before it).
    ("titre", "ce diplome", "cette certification", "la certification", "cette qualification",
     "this diploma", "this certification", "this qualification", "this degree"),
    ("merci", "merci de avance", "merci par avance", "thanks in advance", "thank you in advance"),
    # Hedges and hearsay around a question: they say nothing of what is asked.
    ("exactement", "au juste", "exactly", "en pratique", "in practice", "en gros",
     "en deux mots", "en bref", "en resume",
     "grosso modo", "a peu pres", "in a nutshell", "in short", "roughly", "du tout",
     "pas du tout", "dans le cadre du", "dans le cadre de", "as part of", "in a few words",
     "in a word", "briefly", "brievement"),
    ("voila", "me a parle", "nous a parle", "me parle", "me parlent", "nous parle",
     "entendu parler", "me a propose", "me a conseille", "me a recommande", "me a suggere",
     "vu passer", "entendu", "me a dit", "on me a dit", "heard about", "heard of",
     "told me about", "dont tout le monde parle", "tout le monde parle", "dont on parle",
     "everyone talks about", "everybody talks about"),
    # "quand même" is "all the same", never "when".
    ("quand_meme", "quand meme", "tout de meme", "malgre tout", "all the same", "anyway"),
    ("a_la_prochaine", "a la prochaine", "a plus tard", "a bientot", "see you"),
    # Everyday compounds that borrow a word of the référentiel but mean something else:
    # folded to a token no topic knows, so they weigh as a foreign subject.
    ("hors_sujet", "livret a", "livret de famille", "livret d epargne", "livret jeune",
     "titre de sejour", "titre de transport", "titre de voyage", "titre de propriete",
     "code de la route", "code postal", "code pin", "code secret", "code promo",
     "code de la carte", "mot de passe", "niveau de la mer", "permis de conduire",
     "carte d identite", "carte grise", "carte bleue", "carte vitale", "jury d assises",
     "jury populaire", "the voice", "securite sociale", "delai de retractation",
     "delai de livraison", "chomage partiel", "code civil", "code du travail",
     "password", "driving licence", "driving license", "entretien de embauche",
     "entretien de recrutement", "entretiens de recrutement",
     "entretiens de embauche", "job interview", "entretien annuel", "entretien professionnel",
     "programming language", "programming languages", "coding language", "langage",
     "langages", "langage de programmation", "langages de programmation",
     "langage informatique", "permis", "titre de sejour",
     # language levels of the European framework (CEFR) are another scale than the titre's
     "niveau a1", "niveau a2", "niveau b1", "niveau b2", "niveau c1", "niveau c2", "cecrl",
     "cadre europeen des langues", "cadre europeen commun de reference", "cefr",
     # everyday paperwork that borrows the words of a certification
     "attestation employeur", "attestation de employeur", "attestation de travail",
     "attestation de salaire", "attestation de domicile", "attestation de hebergement",
     "attestation de assurance", "certificat de travail", "certificat de scolarite",
     "certificat medical", "certificat de deces", "certificat de naissance"),
)

# The token of the compounds above that mean another subject: never a confident answer.
OFF_TOPIC: Final = "hors_sujet"


# Small talk is the same for every titre: extra phrasings for the small-talk topic ids of
# ARCHITECTURE.md, used only when the titre defines that topic.
SMALLTALK: Final = MappingProxyType(
    {
        "bonjour": (
            "bonjour", "bonjour a vous", "salut", "salut a toi", "coucou", "bonsoir", "hello",
            "hey", "hi", "hi there", "good morning", "good evening", "yo", "wesh", "re",
            "rebonjour", "bonjour madame", "bonjour monsieur",
        ),
        "merci": (
            "merci", "merci bien", "merci beaucoup", "merci pour l'info", "merci pour ton aide",
            "merci pour votre aide", "cool merci", "super merci", "parfait merci", "top",
            "nickel", "genial", "thanks", "thank you", "thanks a lot", "ok merci", "d'accord merci",
            "je te remercie", "je vous remercie", "c'est gentil", "cimer", "merci infiniment",
            "ok", "okay", "d'accord", "ok super", "ca marche", "entendu", "compris", "got it",
        ),
        "aurevoir": (
            "au revoir", "a plus", "a plus tard", "a bientot", "a la prochaine", "bonne journee",
            "bonne soiree", "bonne nuit", "ciao", "tchao", "bye", "bye bye", "goodbye",
            "see you", "see you later", "adieu", "a demain",
        ),
        "qui_es_tu": (
            "qui es tu", "tu es qui", "t'es qui", "qui etes vous", "vous etes qui", "tu es quoi",
            "tu es un robot", "t'es un robot", "es tu un humain", "tu es humain",
            "c'est quoi ce bot", "who are you", "what are you", "are you a bot",
            "are you human", "are you a robot", "je parle a qui", "tu t'appelles comment",
            "comment tu t'appelles", "what is your name", "identite_bot",
        ),
        "aide": (
            "aide", "aide moi", "help", "help me", "a l'aide", "j'ai besoin d'aide",
            "que peux tu faire", "tu peux faire quoi", "tu sers a quoi", "que sais tu faire",
            "tu sais faire quoi", "qu'est ce que tu sais faire", "qu'est ce que tu peux faire",
            "tu sais repondre a quoi", "quelles questions je peux poser", "comment ca marche",
            "comment ca marche ce bot", "comment t'utiliser", "comment utiliser ce bot",
            "what can you do", "how does this work", "how do i use this bot", "menu",
            "commandes", "mode d'emploi", "what can i ask", "utiliser_bot",
        ),
    }
)


# Courtesy words that say which small talk a message is when it asks nothing else: "super
# merci pour ton aide" thanks (it does not ask for help), "coucou le bot" greets the bot.
THANKS: Final = word_set("merci thanks thank cimer remercie remercier")
GREETINGS: Final = word_set("bonjour salut coucou hello hi hey bonsoir rebonjour")
# Words that make a message a question (beside "?"), and the words that only address the bot.
ASKING: Final = word_set(
    "comment combien quand qui pourquoi ou quoi quel quelle quels quelles lequel laquelle "
    "est-ce how what who why where when which peux peut pouvez sais savez"
)
ADDRESS: Final = word_set("bot robot chatbot toi vous")
