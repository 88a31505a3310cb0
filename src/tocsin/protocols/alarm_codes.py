"""Alarm code tables: Contact ID (DC-05) and SIA (DC-03) codes, each with a class and English/French labels.

Classes: fire, medical, panic, duress, intrusion, tamper, technical, supervision, open_close, test,
other. Contact ID codes are qualified (new/restore/status); SIA codes come in alarm/restore pairs
(``BA``/``BR``), which :func:`restores` gives.
"""

from __future__ import annotations

from typing import Literal, NamedTuple, get_args

AlarmClass = Literal[
    "fire",
    "medical",
    "panic",
    "duress",
    "intrusion",
    "tamper",
    "technical",
    "supervision",
    "open_close",
    "test",
    "other",
]
ALARM_CLASSES: tuple[AlarmClass, ...] = get_args(AlarmClass)


class CodeInfo(NamedTuple):
    """What a code means: its class and its labels."""

    alarm_class: AlarmClass
    label_en: str
    label_fr: str


class Classification(NamedTuple):
    """A classified event: class, labels, and whether it reports the end of a condition."""

    alarm_class: AlarmClass
    label_en: str
    label_fr: str
    is_restore: bool


# code | class | English | French
_CONTACT_ID_TABLE = """
100|medical|Medical emergency|Urgence médicale
101|medical|Personal emergency (pendant)|Appel d'urgence personnel (médaillon)
102|supervision|Fail to report in|Absence de signal de présence
110|fire|Fire alarm|Alarme incendie
111|fire|Smoke detector|Détecteur de fumée
112|fire|Combustion|Combustion
113|fire|Water flow|Écoulement d'eau (sprinkler)
114|fire|Heat detector|Détecteur de chaleur
115|fire|Manual call point|Déclencheur manuel
116|fire|Duct detector|Détecteur de gaine
117|fire|Flame detector|Détecteur de flamme
118|fire|Fire near alarm|Pré-alarme incendie
120|panic|Panic alarm|Alarme panique
121|duress|Duress|Contrainte
122|panic|Silent panic (hold-up)|Panique silencieuse (agression)
123|panic|Audible panic|Panique sonore
124|duress|Duress, access granted|Contrainte, accès accordé
125|duress|Duress, access denied|Contrainte, accès refusé
130|intrusion|Burglary|Intrusion
131|intrusion|Perimeter intrusion|Intrusion périmétrique
132|intrusion|Interior intrusion|Intrusion intérieure
133|intrusion|24-hour intrusion (safe)|Intrusion 24 h (coffre)
134|intrusion|Entry/exit intrusion|Intrusion entrée/sortie
135|intrusion|Day/night intrusion|Intrusion jour/nuit
136|intrusion|Outdoor intrusion|Intrusion extérieure
137|tamper|Tamper|Autoprotection
138|intrusion|Intrusion near alarm|Pré-alarme intrusion
139|intrusion|Intrusion verified|Intrusion confirmée
140|other|General alarm|Alarme générale
141|technical|Polling loop open|Boucle de scrutation ouverte
142|technical|Polling loop short|Boucle de scrutation en court-circuit
143|technical|Expansion module failure|Défaut module d'extension
144|tamper|Sensor tamper|Autoprotection détecteur
145|tamper|Expansion module tamper|Autoprotection module d'extension
146|intrusion|Silent burglary|Intrusion silencieuse
150|technical|24-hour non-burglary alarm|Alarme technique 24 h
151|technical|Gas detected|Détection de gaz
152|technical|Refrigeration|Défaut réfrigération
153|technical|Loss of heat|Perte de chauffage
154|technical|Water leakage|Fuite d'eau
155|intrusion|Foil break|Rupture de feuillard
156|technical|Day trouble|Défaut jour
157|technical|Low bottled gas level|Niveau de gaz en bouteille bas
158|technical|High temperature|Température haute
159|technical|Low temperature|Température basse
162|technical|Carbon monoxide detected|Détection de monoxyde de carbone
200|supervision|Fire supervisory|Surveillance incendie
300|technical|System trouble|Défaut système
301|technical|Mains power loss|Coupure secteur
302|technical|Low system battery|Batterie système faible
303|technical|RAM checksum bad|Erreur mémoire RAM
304|technical|ROM checksum bad|Erreur mémoire ROM
305|technical|System reset|Redémarrage du système
306|technical|Panel programming changed|Programmation de la centrale modifiée
307|technical|Self-test failure|Échec de l'autotest
308|technical|System shutdown|Arrêt du système
309|technical|Battery test failure|Échec du test batterie
310|technical|Ground fault|Défaut de terre
311|technical|Battery missing or dead|Batterie absente ou hors service
312|technical|Power supply overcurrent|Surintensité alimentation
313|technical|Engineer reset|Réinitialisation technicien
314|technical|Primary power overvoltage|Surtension alimentation principale
320|technical|Sounder/relay trouble|Défaut sirène/relais
321|technical|Bell 1 trouble|Défaut sirène 1
322|technical|Bell 2 trouble|Défaut sirène 2
323|technical|Alarm relay trouble|Défaut relais d'alarme
324|technical|Trouble relay trouble|Défaut relais de défaut
325|technical|Reversing relay trouble|Défaut relais d'inversion
326|technical|Notification appliance 3 trouble|Défaut diffuseur 3
327|technical|Notification appliance 4 trouble|Défaut diffuseur 4
330|technical|System peripheral trouble|Défaut périphérique système
331|technical|Polling loop open|Boucle de scrutation ouverte
332|technical|Polling loop short|Boucle de scrutation en court-circuit
333|technical|Expansion module failure|Défaut module d'extension
334|technical|Repeater failure|Défaut répéteur
337|technical|Expansion module DC loss|Perte alimentation module d'extension
338|technical|Expansion module low battery|Batterie faible module d'extension
341|tamper|Expansion module tamper|Autoprotection module d'extension
342|technical|Expansion module mains loss|Coupure secteur module d'extension
344|technical|RF jamming detected|Brouillage radio détecté
350|technical|Communication trouble|Défaut de transmission
351|technical|Telephone line 1 fault|Défaut ligne téléphonique 1
352|technical|Telephone line 2 fault|Défaut ligne téléphonique 2
353|technical|Long-range radio trouble|Défaut radio longue portée
354|technical|Failure to communicate event|Échec de transmission d'un événement
355|supervision|Loss of radio supervision|Perte de supervision radio
356|supervision|Loss of central polling|Perte de scrutation centrale
370|technical|Protection loop trouble|Défaut boucle de protection
371|technical|Protection loop open|Boucle de protection ouverte
372|technical|Protection loop short|Boucle de protection en court-circuit
373|technical|Fire loop trouble|Défaut boucle incendie
374|intrusion|Exit error alarm|Alarme erreur de sortie
380|technical|Sensor trouble|Défaut détecteur
381|supervision|Loss of RF supervision|Perte de supervision radio
382|supervision|Loss of RPM supervision|Perte de supervision module
383|tamper|Sensor tamper|Autoprotection détecteur
384|technical|RF low battery|Pile faible détecteur radio
389|technical|Sensor self-test failure|Échec autotest détecteur
393|technical|Maintenance alert|Alerte maintenance
400|open_close|Open/close|Mise à l'arrêt/en service
401|open_close|Open/close by user|Mise à l'arrêt/en service par utilisateur
402|open_close|Group open/close|Mise à l'arrêt/en service de groupe
403|open_close|Automatic open/close|Mise à l'arrêt/en service automatique
404|open_close|Late open/close|Mise à l'arrêt/en service tardive
405|open_close|Deferred open/close|Mise à l'arrêt/en service différée
406|other|Cancel by user|Annulation par l'utilisateur
407|open_close|Remote open/close|Mise à l'arrêt/en service à distance
408|open_close|Quick arm|Mise en service rapide
409|open_close|Keyswitch open/close|Mise à l'arrêt/en service par clé
411|other|Callback request|Demande de rappel
412|other|Remote download successful|Téléchargement à distance réussi
413|other|Remote access failed|Échec d'accès à distance
441|open_close|Armed stay|Mise en service partielle (présence)
442|open_close|Keyswitch armed stay|Mise en service partielle par clé
453|supervision|Failed to open|Défaut de mise à l'arrêt
454|supervision|Failed to close|Défaut de mise en service
455|technical|Auto-arm failed|Échec de mise en service automatique
456|open_close|Partial arm|Mise en service partielle
457|intrusion|Exit error by user|Erreur de sortie (utilisateur)
459|open_close|Recent close|Mise en service récente
461|tamper|Wrong code entry|Saisie de code erronée
463|open_close|Re-arm after alarm|Remise en service après alarme
570|other|Zone bypass|Zone inhibée
571|other|Fire zone bypass|Zone incendie inhibée
572|other|24-hour zone bypass|Zone 24 h inhibée
573|other|Burglary zone bypass|Zone intrusion inhibée
574|other|Group bypass|Groupe de zones inhibé
601|test|Manual test|Test manuel
602|test|Periodic test|Test cyclique
603|test|Periodic RF transmission|Transmission radio cyclique
604|test|Fire test|Test incendie
605|other|Status report to follow|Rapport d'état à suivre
606|other|Listen-in to follow|Levée de doute audio à suivre
607|test|Walk test mode|Mode test de déplacement
608|test|Periodic test, system trouble present|Test cyclique, défaut système présent
609|other|Video transmitter active|Transmetteur vidéo actif
611|test|Point tested OK|Point testé correct
612|test|Point not tested|Point non testé
616|other|Service request|Demande d'intervention technique
621|other|Event log reset|Journal d'événements effacé
624|technical|Event log overflow|Journal d'événements saturé
625|other|Time/date reset|Date et heure réglées
626|technical|Time/date inaccurate|Date et heure inexactes
627|other|Program mode entry|Entrée en mode programmation
628|other|Program mode exit|Sortie du mode programmation
"""

# code | class | English | French | restore code (alarm codes only)
_SIA_TABLE = """
BA|intrusion|Burglary alarm|Alarme intrusion|BR
BR|intrusion|Burglary restore|Fin d'alarme intrusion|
BT|technical|Burglary trouble|Défaut intrusion|BJ
BJ|technical|Burglary trouble restore|Fin de défaut intrusion|
BB|other|Burglary bypass|Zone intrusion inhibée|BU
BU|other|Burglary unbypass|Fin d'inhibition zone intrusion|
BV|intrusion|Burglary verified|Intrusion confirmée|
BC|other|Burglary cancel|Annulation alarme intrusion|
FA|fire|Fire alarm|Alarme incendie|FR
FR|fire|Fire restore|Fin d'alarme incendie|
FT|technical|Fire trouble|Défaut incendie|FJ
FJ|technical|Fire trouble restore|Fin de défaut incendie|
FB|other|Fire bypass|Zone incendie inhibée|FU
FU|other|Fire unbypass|Fin d'inhibition zone incendie|
FS|supervision|Fire supervisory|Surveillance incendie|
PA|panic|Panic alarm|Alarme panique|PR
PR|panic|Panic restore|Fin d'alarme panique|
PT|technical|Panic trouble|Défaut panique|PJ
PJ|technical|Panic trouble restore|Fin de défaut panique|
HA|duress|Hold-up alarm|Alarme agression|HR
HR|duress|Hold-up restore|Fin d'alarme agression|
MA|medical|Medical alarm|Alarme médicale|MR
MR|medical|Medical restore|Fin d'alarme médicale|
TA|tamper|Tamper alarm|Alarme autoprotection|TR
TR|tamper|Tamper restore|Fin d'autoprotection|
JA|tamper|User code tamper|Autoprotection code utilisateur|
GA|technical|Gas alarm|Alarme gaz|GR
GR|technical|Gas restore|Fin d'alarme gaz|
WA|technical|Water alarm|Alarme inondation|WR
WR|technical|Water restore|Fin d'alarme inondation|
KA|technical|Heat alarm|Alarme chaleur|KR
KR|technical|Heat restore|Fin d'alarme chaleur|
ZA|technical|Freeze alarm|Alarme gel|ZR
ZR|technical|Freeze restore|Fin d'alarme gel|
UA|intrusion|Untyped zone alarm|Alarme zone non typée|UR
UR|intrusion|Untyped zone restore|Fin d'alarme zone non typée|
UT|technical|Untyped zone trouble|Défaut zone non typée|UJ
UJ|technical|Untyped zone trouble restore|Fin de défaut zone non typée|
UX|other|Undefined alarm|Alarme non définie|
AT|technical|Mains power trouble|Coupure secteur|AR
AR|technical|Mains power restore|Retour secteur|
YT|technical|System battery trouble|Batterie système faible|YR
YR|technical|System battery restore|Batterie système rétablie|
YS|technical|Communications trouble|Défaut de transmission|YK
YK|technical|Communications restore|Transmission rétablie|
XT|technical|Transmitter battery trouble|Pile faible émetteur|XR
XR|technical|Transmitter battery restore|Pile émetteur rétablie|
XQ|technical|RF interference|Brouillage radio|XH
XH|technical|RF interference restore|Fin de brouillage radio|
LT|technical|Phone line trouble|Défaut ligne téléphonique|LR
LR|technical|Phone line restore|Ligne téléphonique rétablie|
NT|technical|Network failure|Défaut réseau|NR
NR|technical|Network restore|Réseau rétabli|
OP|open_close|Opening|Mise à l'arrêt|
CL|open_close|Closing|Mise en service|
OR|open_close|Disarm from alarm|Mise à l'arrêt après alarme|
CR|open_close|Recent closing|Mise en service récente|
OA|open_close|Automatic opening|Mise à l'arrêt automatique|
CA|open_close|Automatic closing|Mise en service automatique|
OG|open_close|Area opening|Mise à l'arrêt de zone|
CG|open_close|Area closing (armed stay)|Mise en service de zone (partielle)|
OI|supervision|Fail to open|Défaut de mise à l'arrêt|
CI|supervision|Fail to close|Défaut de mise en service|
RP|test|Automatic test|Test cyclique|
RX|test|Manual test|Test manuel|
RY|test|Test exit|Fin de test|
RR|technical|Power up|Mise sous tension|
RS|other|Remote program success|Programmation à distance réussie|
LB|other|Local program begin|Début de programmation locale|
LX|other|Local program end|Fin de programmation locale|
"""


def _contact_id_table() -> dict[str, CodeInfo]:
    table: dict[str, CodeInfo] = {}
    for row in _CONTACT_ID_TABLE.strip().splitlines():
        code, alarm_class, label_en, label_fr = row.split("|")
        table[code] = CodeInfo(_alarm_class(alarm_class), label_en, label_fr)
    return table


def _sia_tables() -> tuple[dict[str, CodeInfo], dict[str, str]]:
    table: dict[str, CodeInfo] = {}
    pairs: dict[str, str] = {}
    for row in _SIA_TABLE.strip().splitlines():
        code, alarm_class, label_en, label_fr, restore = row.split("|")
        table[code] = CodeInfo(_alarm_class(alarm_class), label_en, label_fr)
        if restore:
            pairs[code] = restore
    return table, pairs


def _alarm_class(name: str) -> AlarmClass:
    for alarm_class in ALARM_CLASSES:
        if alarm_class == name:
            return alarm_class
    raise ValueError(f"Unknown alarm class {name!r} in a code table.")


CONTACT_ID_CODES = _contact_id_table()
SIA_CODES, SIA_RESTORES = _sia_tables()
SIA_RESTORE_CODES = frozenset(SIA_RESTORES.values())
_OPENING_EN, _CLOSING_EN = "opening", "closing"
_OPENING_FR, _CLOSING_FR = "mise à l'arrêt", "mise en service"


def restores(code: str) -> str | None:
    """Return the SIA code that ends the condition ``code`` reports (``BA`` → ``BR``), or None."""
    return SIA_RESTORES.get(code)


def classify_sia(code: str) -> Classification:
    """Classify a 2-letter SIA code; unknown codes are class ``other``."""
    info = SIA_CODES.get(code)
    if info is None:
        return Classification("other", f"Unknown SIA event {code}", f"Événement SIA inconnu {code}", False)
    return Classification(*info, is_restore=code in SIA_RESTORE_CODES)


def classify_contact_id(code: str, qualifier: str) -> Classification:
    """Classify a Contact ID code under its qualifier (``new``, ``restore`` or ``status``).

    For open/close codes the qualifier says which: new is an opening (disarm), restore a closing (arm);
    neither is a restore. Unknown codes are class ``other``.
    """
    info = CONTACT_ID_CODES.get(code)
    if info is None:
        label_en, label_fr = f"Unknown Contact ID event {code}", f"Événement Contact ID inconnu {code}"
        return Classification("other", label_en, label_fr, qualifier == "restore")
    if info.alarm_class == "open_close":
        closing = qualifier == "restore"
        label_en = f"{info.label_en} ({_CLOSING_EN if closing else _OPENING_EN})"
        label_fr = f"{info.label_fr} ({_CLOSING_FR if closing else _OPENING_FR})"
        return Classification(info.alarm_class, label_en, label_fr, False)
    return Classification(*info, is_restore=qualifier == "restore")
