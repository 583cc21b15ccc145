"""Generic word knowledge the matcher needs and no référentiel should have to declare.

French and English function words (ignored), question words (kept, lightly weighted),
politeness fillers (dropped when a real question remains), a light French stemmer and an
English -> French word map so that English questions reach the same index. Nothing here is
specific to one titre: titre-specific synonyms and acronyms live in the YAML.
"""

from __future__ import annotations

from types import MappingProxyType
from typing import Final


def word_set(text: str) -> frozenset[str]:
    """A word set written as one string: long lists stay readable."""
    return frozenset(text.split())


_set = word_set


def _pairs(text: str) -> MappingProxyType[str, str]:
    """A word map written as "english=francais ..." pairs."""
    return MappingProxyType(dict(pair.split("=", 1) for pair in text.split()))


STOPWORDS: Final = _set(
    # French
    "le la les un une des de du d l au aux a ce cet cette ces se sa son ses mon ma mes ton ta "
    "tes notre nos votre vos leur leurs je tu il elle on nous vous ils elles me te lui y en "
    "et ou mais donc or ni car que qu quoi dont est es sont suis etre ai as avons avez ont "
    "avoir sera serait etait fait faut il si ne pas plus tres bien ca cela ceci "
    "celui celle ceux par pour avec sans sur sous dans chez vers entre apres avant pendant "
    "meme aussi encore deja alors puis ici la voila voici oui non "
    "svp vouloir veux voudrais voudrait peux peut pouvez pourrait pourrais dois doit devez "
    "sais savoir dire dis dit comme quel quelle quels quelles lequel laquelle "
    "moi toi soi c s n m t j est-ce ce-que exactement vraiment bref genre enfin bah ben euh "
    "bon ok okay alors hein stp plait obligatoire obligatoirement exige exigee necessaire "
    "besoin falloir fallait faudra faudrait eu eue eus avais avait aurai aura auras aurais "
    "possible possibles impossible normal normale grave vrai vraie sur sure stp svp ya "
    "quelqu quelque quelques chose choses truc trucs ca vais vas va allons allez vont irai "
    "ira iront allait sommes etes serai sera serons seront fais faisons faites font "
    "pourrai pourra pourrons pourront veulent voulons doivent devons devra devrai "
    "aurons auront avez avons aurait auraient aurions seraient devrait devraient "
    # "c'est bloquant ?" asks whether something is required, as "obligatoire" does
    "bloquant bloquante bloquants eliminatoire eliminatoires genant genante handicapant"
    # English
    " the a an is are was were be been being am do does did doing have has had having i me "
    "my mine you your yours he she it its we our they their them this that these those of "
    "to in on at by for with from about into over as and or but if then so than too very "
    "can could would should will shall may might must there here please just also any some "
    "which what whats required mandatory need needed needs necessary compulsory kind sort "
    "up down out off like before each every make makes made actually really only own "
    "such both few more most other others same than then once again further any all "
    "no nor not yes there where here why how whom whose while during against between "
    "through above below under until because just should now also anyone someone "
    "something anything thing things bit lot lots instead want wants wanted"
)

# Question words: they carry a little meaning ("quand" -> a date, "qui" -> a person).
LIGHT: Final = _set(
    "comment combien quand qui pourquoi ou how many much when who why where long "
    "quoi what faire fait fais font tout tous toute toutes all every correspond correspondre "
    "agit agir"
)

# Everyday words that a topic may use but that cannot decide alone: a question whose only
# link to a topic is one of these ("quel temps fait-il ?") is not about that topic.
WEAK: Final = _set(
    "temps heure heures jour jours semaine semaines mois an ans annee annees date dates fois ete "
    "demain hier aujourd hui monde gens chose truc aller venir avoir mettre prendre donner "
    "dire voir grand grande petit petite bon bonne nouveau nouvelle premier premiere dernier "
    "autre autres ville pays france paris personne homme femme vie jouer jeu match equipe "
    "passer passe marche fonctionne time day days week weeks month year years "
    # a month names a date, never a subject
    "janvier fevrier mars avril mai juin juillet aout septembre octobre novembre decembre "
    "january february march april june july august september october november december "
    # naming something ("appelée « épreuve de synthèse »") never says what is asked
    "appeler appelle appelles appellent appelee appele appelez appelait call called "
    "porte portent porter portant "  # "il porte sur quoi ?" asks what something is about
    # places: where a question is asked about never decides what it is about
    "region regions departement ville villes france_travail lyon marseille toulouse nice "
    "nantes strasbourg montpellier bordeaux lille rennes reims toulon grenoble dijon angers "
    "nimes brest tours limoges amiens metz perpignan besancon orleans rouen caen nancy "
    "clermont avignon poitiers pau calais mulhouse annecy valence bretagne normandie alsace "
    "occitanie provence bourgogne aquitaine lorraine picardie auvergne corse europe belgique "
    "suisse canada quebec"
)

# Frequent words of everyday French and English. When the index does not know one, it is
# still an ordinary word of a question, not a sign of another subject: it weighs less than
# a rare unknown word ("misérables", "gmail").
COMMON: Final = _set(
    "technique techniques technical "
    "prendre prend prends pris prise donner donne donnes donnent garder garde gardes gardent "
    "perdre perds perd perdu rester reste restent restant expliquer explique expliques "
    "expliquez presenter presente aimer aime voudrais veut souhaite souhaiter chercher "
    "cherche trouver trouve penser pense croire crois comprendre comprends compris "
    "connaitre connais connait sais savoir apprendre apprends commencer commence finir "
    "fini finis termine terminer continuer continue arreter arrete changer change "
    "utiliser utilise demander demande repondre reponds reponse question questions "
    "exemple detail details precis precise simple simplement facile difficile dur long "
    "longue court courte rapide rapidement vite tard tot bientot toujours jamais souvent "
    "parfois deja encore maintenant ensuite apres avant actuel actuellement aujourd hui "
    "recent vieux ancien ancienne nouveau nouvelle nouveaux different differente pareil "
    "important importante principal principale general generale exactement vraiment "
    "concretement globalement environ plusieurs chaque tout tous toutes beaucoup peu "
    "assez trop moins plus mieux meilleur pire besoin envie chance raison probleme souci "
    "cas situation moment fois facon maniere type sorte genre niveau fin debut milieu "
    "partie part reste ensemble total seul seule seulement aussi egalement vraiment "
    "personnellement moi perso chez maison ecole travail boulot taf entreprise metier "
    "emploi poste job stage candidat candidate candidats personne gens monde ami amis "
    "conseiller conseillere formateur collegue patron chef employeur etudiant eleve "
    "structure structures domaine secteur informatique informaticien technicien "
    "technicienne reconnu reconnue reconnaissance valeur vaut valoir compter compte "
    "comptent servir sert servent aider aide aides marcher marche fonctionner suffit "
    "suffire suffisant manque manquer obtenu obtenue eu reussi reussir rate rater "
    "echoue echouer loupe louper passe passer passes venir viens vient revenir arriver "
    "arrive partir pars part sortir sors entrer entre mettre mets met ouvrir ouvert "
    "fermer ferme avoir etre faire dire voir aller devoir pouvoir vouloir falloir "
    "exister existe existent encore lequel laquelle lesquels concernant concerne "
    "sujet propos niveau debutant debutante junior senior experimente moyen moyenne "
    "juste exact programme contenu signification signifie sens sigle acronyme abreviation "
    "definition definir veut voulez veux reunir rassembler regrouper collecter cumuler "
    "mauvais mauvaise nul nulle faible fort forte pose poser longtemps durer correspond "
    "correspondre concerne concerner lire ecrire parler entendre accepte accepter refuse "
    "refuser oblige obliger permet permettre autorise autoriser quotidien concret "
    "concretement etape etapes moyen moyens liste ensemble total complet complete entier "
    "entiere vrai faux oui non peut etre probablement forcement obligatoirement "
    "automatiquement directement uniquement seulement justement surtout notamment "
    "ensuite enfin puis donc alors pourtant quand meme toujours encore tant lorsque "
    "depuis pendant durant jusque avant apres debut fin suite precedent suivant prochain "
    "dernier premier deuxieme troisieme numero nombre chiffre combien quantite "
    "possibilite possibilites option options choix choisir decider decide savoir "
    "voudrais aimerais pourrais pourriez dites dis explique expliquez renseigner "
    "renseignement renseignements information informations infos precision precisions "
    "aide aider conseil conseils avis idee idees doute doutes inquiet peur stress "
    "what does mean meaning explain tell show give keep lose still left get got take took "
    "need collect gather every each whole bad poor weak problem issue matter expect "
    "ok also anyway actually basically exactly simply repose reposer base baser fonde "
    "decoupe decouper divise diviser constitue constituer reconversion clair claire "
    "termine terminer finir acheve achever reprendre reprise recommencer refaire "
    "quelconque certain certaine certains certaines tel telle divers diverses vis "
    "concernant niveau situation actuelle statut salarie salariee chomeur demandeur "
    "role fonction utile utilite interet interessant vaut marche fonctionne passe "
    "alternance apprentissage apprenti contrat interesse interesser interessee rendre "
    "rends rendu pareil pareille meme identique difference differences concret "
    "kind type types sort "
    "ressemble ressembler ressemblent deroule derouler deroulent deroulement consiste "
    "consister consistent regarde regarder regardent remplir remplit remplis rempli "
    "propose proposer proposent suivre suivi suis faire quotidien journee recoit "
    "mean meaning means look looks like happen happens "
    "want know think find work works working start end finish possible about again "
    "exactly really please okay sure right wrong good bad best better big small "
    "new old first last next other same different "
    "rappeler rappelle rappelez rappel decrire decris decrivez decrit preciser precisez "
    "indiquer indiquez indique montrer montrez montre envoyer envoie relever releve "
    "relevent appartient appartenir appartiennent resumer resume resumez formulaire "
    "remind describe tell summary summarise summarize brief briefly reconvertir reconverti "
    "reconvertie reconvertis designe designer designent devenir devient devenu devenue "
    "usually usual typically generally often recruiter recruteur recruteuse mentioned "
    "mention mentionne moving move demenage plutot refaisant derriere depose deposer "
    "inquiete inquiet worried stresse organiser organise europeen europeenne european "
    "reviser revise revision revisions friend friends colleague groupe groupes group groups "
    "decouvre decouvrir decouvert decouverte decouvrant mal responsable responsables "
    "principe principes sortant sortie etat state")

# Irregular forms the light stemmer cannot bring together.
LEMMAS: Final = MappingProxyType(
    {
        "pareil": "equivalent", "pareille": "equivalent",
        "qualif": "titre", "qualifs": "titre", "sup": "superieur", "modification": "change",
        "modifications": "change", "modifie": "change", "modifiee": "change",
        "modifies": "change", "modifier": "change",
        "contient": "contenir", "contiennent": "contenir", "contenu": "contenir",
        "contenus": "contenir", "contenue": "contenir", "obtient": "obtenir",
        "obtiens": "obtenir", "obtenu": "obtenir", "obtenue": "obtenir", "obtenus": "obtenir",
        "obtention": "obtenir", "obtiendrai": "obtenir", "recoit": "recevoir",
        "recois": "recevoir", "recu": "recevoir", "recue": "recevoir", "recoivent": "recevoir",
        "equivaut": "equivalent", "equivalence": "equivalent", "equivalences": "equivalent",
        "equivalente": "equivalent", "equivaloir": "equivalent", "vaut": "valoir",
        "devient": "devenir", "deviens": "devenir", "devenu": "devenir", "comprend": "comprendre",
        "comprennent": "comprendre", "compose": "composer", "composent": "composer",
        "constituent": "composer", "constitue": "composer",
        "composition": "composer", "redige": "rediger",
        "redaction": "rediger", "inscris": "inscrire", "inscrit": "inscrire",
        "inscription": "inscrire", "delivrance": "delivrer", "delivre": "delivrer",
        "delivrent": "delivrer", "delivres": "delivrer", "attribution": "attribuer",
        "attribue": "attribuer", "attribuent": "attribuer", "financement": "financer",
        "finance": "financer",
        "acceptee": "recevable", "accepte": "recevable", "acceptation": "recevable",
        "coute": "cout", "coutent": "cout", "couter": "cout", "prix": "cout", "tarif": "cout",
        "tarifs": "cout",
        "aider": "aide", "aidez": "aide", "aides": "aide", "aidee": "aide",
        "ia": "robot", "chatbot": "robot", "ai": "robot", "humain": "robot",
        # everyday slang
        "boite": "entreprise", "boites": "entreprise", "bosser": "travailler",
        "bosse": "travailler", "taffer": "travailler", "taf": "travail",
        # false friends of the stemmer: other words that would meet the référentiel's
        "comptable": "expert_comptable", "comptables": "expert_comptable",
        "licenciement": "renvoi", "licenciements": "renvoi", "licencie": "renvoi",
        "licencier": "renvoi", "licenciee": "renvoi",
        "vu": "voir", "vue": "voir", "vus": "voir", "kezako": "quoi", "quesaco": "quoi",
        "legaux": "legal", "legale": "legal", "legales": "legal",
        "exam": "examen", "exams": "examen", "diplomes": "diplome", "certif": "certification",
    }
)

# Other diplomas: a question about one of them is not about this titre, unless the topic
# itself talks about it (levels, equivalences).
OTHER_DIPLOMAS: Final = _set(
    "bts dut but licence master bac cap bep doctorat mba ingenieur bachelor toeic toefl "
    "ccna tssr tai cda dwwm brevet deug dess bsc msc phd parcoursup"
    # other bodies: signing up with them or asking about them is their business
    " france_travail caf urssaf cpam mairie prefecture alternance"
)

# Politeness and chit-chat: dropped when other words remain, else they decide (small talk).
FILLERS: Final = _set(
    "bonjour salut bonsoir coucou hello hi hey merci thanks thank super top cool genial "
    "parfait info infos svp please stp beaucoup madame monsieur wesh yo"
)

# English content words -> the French word the index knows. Applied before stemming, to
# French text too: no key may be a French word of another meaning ("train", "course",
# "issue" as in "à l'issue de" are left out).
ENGLISH: Final = _pairs(
    "write=rediger writing=rediger written=ecrit explain=expliquer ccps=ccp evaluates=evalue "
    "evaluate=evaluer awarded=attribue belongs=contient belong=contient includes=contient "
    "include=contient starting=commencer start=commencer technician=technicien "
    "technicians=technicien take=passer taking=passer taken=passer sit=passer "
    "separately=separement holder=titulaire holders=titulaire grade=evaluer grades=evalue "
    "interview=entretien issued=delivre receive=recevoir received=recevoir get=obtenir "
    "gets=obtenir obtained=obtenu acquired=acquis skills=competences handle=gerer handles=gerer "
    "finish=finir complete=finir operate=exploiter maintain=maintenir deploy=deployer "
    "apprenticeship=alternance do=fait does=fait did=fait qualification=titre title=titre "
    "diploma=diplome degree=diplome certification=certification level=niveau created=cree "
    "steps=etapes several=plusieurs covered=contient cover=contient covers=contient "
    "established=cree creation=creation job=metier jobs=metier occupation=metier work=travailler "
    "working=travailler employed=travailler company=entreprise companies=entreprise "
    "employer=employeur employers=employeur hires=recrute hire=recrute mission=mission "
    "role=role duties=mission tasks=mission resources=ressources resource=ressource "
    "manage=gerer manages=gerer managed=gerer activities=activites activity=activite units=ccp "
    "unit=ccp contain=contient contains=contient blocks=bloc block=bloc content=contenu "
    "cover=contient covers=contient inside=dedans skill=competence competencies=competences "
    "competency=competence first=premier last=dernier second=deuxieme third=troisieme one=1 "
    "two=2 three=3 "
    "much=combien four=4 five=5 six=6 seven=7 eight=8 nine=9 ten=10 enough=suffisant "
    "sysadmin=administrateur "
    "english=anglais speak=parler required=obligatoire requirement=prerequis "
    "requirements=prerequis prerequisites=prerequis prerequisite=prerequis need=falloir "
    "ways=voies way=voie obtain=obtenir getting=obtenir earn=gagner options=voies "
    "training=formation trained=formation assessed=evalue assess=evaluer assesses=evalue "
    "assessment=evaluation assessor=evaluateur assessors=evaluateurs evaluated=evalue "
    "evaluation=evaluation graded=evalue experience=experience years=ans year=an months=mois "
    "admissible=recevable admissibility=recevabilite eligible=recevable application=demande "
    "apply=demande decides=decide decide=decide jury=jury panel=jury board=jury oral=oral "
    "file=dossier portfolio=dossier report=dossier synthesis=synthese practical=pratique "
    "exam=examen exams=examen test=evaluation tests=evaluations fail=echec failed=echec "
    "failure=echec pass=reussir partial=partiel partially=partiel award=attribuer "
    "deadline=delai time=temps valid=valable validity=validite expire=expirer expires=expirer "
    "until=jusque left=reste booklet=livret certificate=certificat parchment=parchemin "
    "issues=delivre delivers=delivre laws=textes law=texte legal=juridique decree=decret "
    "decrees=decret regulations=textes texts=textes govern=regir changed=change "
    "changes=changement change=changement new=nouveau updated=jour still=toujours exist=exister "
    "exists=exister cost=cout costs=cout price=prix fee=prix fees=prix free=gratuit "
    "salary=salaire wage=salaire pay=payer paid=payer equivalent=equivalent "
    "equivalence=equivalence funding=financement fund=financer finance=financer centre=centre "
    "center=centre centres=centres centers=centres school=ecole session=session "
    "sessions=sessions next=prochaine date=date dates=dates hello=bonjour thanks=merci "
    "bye=revoir goodbye=revoir help=aide robot=robot bot=bot stand=signifie meaning=signifie "
    "programming=programmation mean=signifie only=seulement give=donner gives=donner "
    "given=donne appear=cree appeared=cree hands=remet hand=remettre authority=administration "
    "authorities=administration awards=attribue submit=remettre every=tous "
    "retake=repasser resit=repasser mandatory=obligatoire compulsory=obligatoire "
    "recovery=remise paper=papier succeed=reussir succeeded=reussir partly=partiel "
    "means=signifie name=nom code=code number=numero specialisation=specialisation "
    "specialization=specialisation complementary=complementaire prior=acquis "
    "accreditation=validation learning=acquis vae=vae trainer=formateur "
    "professional=professionnel professionals=professionnels during=pendant count=compter "
    "happens=passe after=apres now=ensuite whole=complet full=complet study=formation "
    "studies=formation server=serveur servers=serveurs users=utilisateurs user=utilisateur "
    "support=assistance budget=budget budgets=budgets security=securite network=reseau "
    "networks=reseaux performance=performance database=base databases=bases incident=incident "
    "production=production introduced=cree launched=cree graduates=titulaire "
    "graduate=titulaire certificates=ccp "
    "split=decoupe divided=divise people=gens accepted=recevable"
)

# French suffixes removed by the light stemmer, longest first; the stem keeps >= 4 letters.
_SUFFIXES: Final = (
    "abilites", "abilite", "issements", "issement", "ications", "ication", "atrices",
    "atrice", "ateurs", "ateur", "ations", "ation", "ements", "ement", "ables", "able",
    "ibles", "ible", "ites", "ite", "ives", "ive", "euses", "euse", "eurs", "eur",
    "iques", "ique", "aient", "ent", "ees", "ee", "es", "er", "ez", "e",
    "ating", "ated", "ing", "ed",  # English words the map does not know
)


def stem(word: str) -> str:
    """Crude French stem: "evaluation", "evaluer", "evalue", "evaluateur" -> "evalu"."""
    if len(word) <= 4 or not word.isalpha():
        return word
    if word[-1] in "sx" and len(word) > 5:
        word = word[:-1]
    for suffix in _SUFFIXES:
        if word.endswith(suffix) and len(word) - len(suffix) >= 4:
            return word[: -len(suffix)]
    return word
