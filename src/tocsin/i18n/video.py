"""Logbook messages and words of video protection, in English and French (merged into the catalogue)."""

from __future__ import annotations

MESSAGES: dict[str, dict[str, str]] = {
    "camera.added": {
        "en": "Camera {name} added to the site (footage kept {retention_days} days at most)",
        "fr": "Caméra {name} ajoutée au site (images conservées {retention_days}\u00a0jours au plus)",
    },
    "camera.changed": {
        "en": "Camera {name} changed ({fields})",
        "fr": "Caméra {name} modifiée ({fields})",
    },
    "camera.removed": {
        "en": "Camera {name} removed from the site",
        "fr": "Caméra {name} retirée du site",
    },
    "camera.viewed": {
        "en": "Camera {name} viewed ({mode}) by {user} from {start} to {end}: {reason}",
        "fr": "Caméra {name} visionnée ({mode}) par {user} de {start} à {end}\u00a0: {reason}",
    },
    "clip.attached": {
        "en": "Clip of camera {name} attached ({start} to {end}, SHA-256 {sha256})",
        "fr": "Séquence de la caméra {name} jointe ({start} à {end}, SHA-256 {sha256})",
    },
    "snapshot.attached": {
        "en": (
            "Snapshot of camera {name} by {source} kept and attached"
            " ({taken}, {size} bytes, SHA-256 {sha256})"
        ),
        "fr": (
            "Image de la caméra {name} prise par {source} conservée et jointe"
            " ({taken}, {size}\u00a0octets, SHA-256 {sha256})"
        ),
    },
    "snapshot.failed": {
        "en": "Snapshot of camera {name} by {source} not kept: {problem}",
        "fr": "Image de la caméra {name} prise par {source} non conservée\u00a0: {problem}",
    },
    "clip.purged": {
        "en": "Clip of camera {name} ({start} to {end}) deleted: older than {retention_days} days",
        "fr": (
            "Séquence de la caméra {name} ({start} à {end}) effacée\u00a0:"
            " plus de {retention_days}\u00a0jours"
        ),
    },
    "clip.held": {
        "en": "Clip of camera {name}: legal hold {hold}",
        "fr": "Séquence de la caméra {name}\u00a0: conservation judiciaire {hold}",
    },
    "clip.released": {
        "en": "Clip of camera {name}: legal hold {hold} lifted",
        "fr": "Séquence de la caméra {name}\u00a0: conservation judiciaire {hold} levée",
    },
    "requisition.recorded": {
        "en": "Requisition {reference} from {authority} recorded (received {received_at})",
        "fr": "Réquisition {reference} de {authority} enregistrée (reçue le {received_at})",
    },
    "requisition.delivered": {
        "en": "Requisition {reference} delivered ({delivered_at}) {note}",
        "fr": "Réquisition {reference} remise ({delivered_at}) {note}",
    },
    "export.downloaded": {
        "en": "Export of camera {name} downloaded by {user}",
        "fr": "Extraction de la caméra {name} téléchargée par {user}",
    },
    "clip.exported": {
        "en": "Clip of camera {name} ({start} to {end}) exported by {user} for {reason}",
        "fr": "Séquence de la caméra {name} ({start} à {end}) exportée par {user} pour {reason}",
    },
    "site.video_set": {
        "en": "Clips of the site's alarms: {pre_seconds} s before to {post_seconds} s after",
        "fr": (
            "Séquences des alarmes du site\u00a0: de {pre_seconds}\u00a0s avant à {post_seconds}\u00a0s après"
        ),
    },
}

WORDS: dict[str, dict[str, str]] = {
    "camera_down": {"en": "camera down", "fr": "caméra hors service"},
    "camera_frozen": {"en": "frozen image", "fr": "image figée"},
    "camera_tamper": {"en": "camera tamper", "fr": "sabotage caméra"},
    "live": {"en": "live", "fr": "en direct"},
    "playback": {"en": "playback", "fr": "relecture"},
}

UI: dict[str, dict[str, str]] = {
    "class.camera_down": {"en": "Camera down", "fr": "Caméra HS"},
    "class.camera_frozen": {"en": "Frozen image", "fr": "Image figée"},
    "class.camera_tamper": {"en": "Camera tamper", "fr": "Sabotage caméra"},
    "camera.on_map": {"en": "Camera {name}", "fr": "Caméra {name}"},
    "video.title": {"en": "Video", "fr": "Vidéo"},
    "video.clips_none": {
        "en": "No clip yet: each camera's clip comes once the time after the alarm is recorded.",
        "fr": (
            "Pas encore de séquence\u00a0: celle de chaque caméra arrive"
            " une fois l\u2019après-alarme enregistré."
        ),
    },
    "video.clip_range": {"en": "from {start} to {end}", "fr": "de {start} à {end}"},
    "video.play": {"en": "Play the clip", "fr": "Lire la séquence"},
    "video.snapshot_show": {"en": "Show the snapshot", "fr": "Afficher l\u2019image"},
    "video.snapshot_of": {
        "en": "Snapshot of camera {name} taken by {source} at {at}",
        "fr": "Image de la caméra {name} prise par {source} à {at}",
    },
    "video.declared": {
        "en": "Viewing recorded in the register.",
        "fr": "Visionnage inscrit au registre.",
    },
    "video.live": {"en": "Live picture", "fr": "Image en direct"},
    "video.live_stop": {"en": "Stop", "fr": "Arrêter"},
    "video.live_of": {"en": "Live picture of camera {name}", "fr": "Image en direct de la caméra {name}"},
    "video.reason_title": {"en": "Why view these images?", "fr": "Pourquoi visionner ces images\u00a0?"},
    "video.reason_hint": {
        "en": "The register the law asks for (CSI R252-11) records each viewing with its reason; it is kept"
        " for this alarm's view.",
        "fr": "Le registre que la loi impose (CSI R252-11) consigne chaque visionnage et son motif\u00a0; il"
        " est retenu pour la vue de cette alarme.",
    },
    "video.reason_legend": {"en": "Reason", "fr": "Motif"},
    "video.reason_ok": {"en": "View", "fr": "Visionner"},
    "video.reason.alarm_verification": {"en": "Alarm verification", "fr": "Levée de doute"},
    "video.reason.incident_investigation": {"en": "Incident investigation", "fr": "Enquête sur un incident"},
    "video.reason.requisition": {"en": "Requisition", "fr": "Réquisition"},
    "video.reason.other": {"en": "Other", "fr": "Autre"},
    "video.reason.requisition_text": {"en": "Requisition reference", "fr": "Référence de la réquisition"},
    "video.reason.other_text": {"en": "The reason, typed", "fr": "Le motif, en toutes lettres"},
    "video.reason.requisition_needed": {
        "en": "Give the requisition's reference.",
        "fr": "Indiquez la référence de la réquisition.",
    },
    "video.reason.other_needed": {
        "en": "Type the reason (3 to 200 characters).",
        "fr": "Saisissez le motif (3 à 200 caractères).",
    },
    "vreg.link": {"en": "Video", "fr": "Vidéo"},  # the top bar's link: short, the page says the rest
    "vreg.title": {"en": "Video register", "fr": "Registre vidéo"},
    "vreg.forbidden": {
        "en": "The video register is for supervisors and administrators: ask one for an export.",
        "fr": "Le registre vidéo est réservé aux superviseurs et administrateurs\u00a0: demandez-leur une"
        " extraction.",
    },
    "vreg.register": {
        "en": "Viewings and extractions (CSI R252-11)",
        "fr": "Visionnages et extractions (CSI R252-11)",
    },
    "vreg.camera": {"en": "Camera", "fr": "Caméra"},
    "vreg.all_cameras": {"en": "All cameras", "fr": "Toutes les caméras"},
    "vreg.user": {"en": "User", "fr": "Utilisateur"},
    "vreg.when": {"en": "When", "fr": "Quand"},
    "vreg.mode": {"en": "What", "fr": "Quoi"},
    "vreg.mode.live": {"en": "live view", "fr": "direct"},
    "vreg.mode.playback": {"en": "playback", "fr": "relecture"},
    "vreg.mode.export": {"en": "export", "fr": "extraction"},
    "vreg.range": {"en": "Footage", "fr": "Images"},
    "vreg.reason": {"en": "Reason", "fr": "Motif"},
    "vreg.empty": {"en": "Nothing yet.", "fr": "Rien pour l\u2019instant."},
    "vreg.requisitions": {"en": "Requisitions", "fr": "Réquisitions"},
    "vreg.authority": {"en": "Authority", "fr": "Autorité"},
    "vreg.reference": {"en": "Reference", "fr": "Référence"},
    "vreg.received": {"en": "Received", "fr": "Reçue le"},
    "vreg.request": {"en": "Request", "fr": "Demande"},
    "vreg.delivered": {"en": "Delivered", "fr": "Remise"},
    "vreg.req_add": {"en": "Enter the requisition", "fr": "Enregistrer la réquisition"},
    "vreg.req_done": {
        "en": "Requisition {reference} entered in the register.",
        "fr": "Réquisition {reference} inscrite au registre.",
    },
    "vreg.mark_delivered": {"en": "Mark delivered", "fr": "Marquer remise"},
    "vreg.delivered_done": {"en": "Delivery recorded.", "fr": "Remise consignée."},
    "vreg.exports": {"en": "Exports", "fr": "Extractions"},
    "vreg.requisition": {"en": "Requisition", "fr": "Réquisition"},
    "vreg.none": {"en": "none", "fr": "aucune"},
    "vreg.exp_add": {"en": "Export", "fr": "Extraire"},
    "vreg.exp_needs": {
        "en": "An export needs a requisition or a reason: choose one or type the reason.",
        "fr": "Une extraction demande une réquisition ou un motif\u00a0: choisissez-en une ou saisissez le"
        " motif.",
    },
    "vreg.exp_working": {
        "en": "Exporting: watermarking the footage and signing the manifest…",
        "fr": "Extraction\u00a0: marquage des images et signature du manifeste…",
    },
    "vreg.exp_done": {
        "en": "Export made ({frames} frames), signed, with its custody sheet.",
        "fr": "Extraction faite ({frames} images), signée, avec sa fiche de chaîne de possession.",
    },
    "vreg.files": {"en": "Files", "fr": "Fichiers"},
    "vreg.download": {"en": "Download (zip)", "fr": "Télécharger (zip)"},
    "video.verify_hint": {
        "en": "V records what the images show: that is the video verification step.",
        "fr": "V consigne ce que montrent les images\u00a0: c\u2019est l\u2019étape de levée de doute vidéo.",
    },
}

CUSTODY_PDF: dict[str, dict[str, str]] = {
    "title": {"en": "Chain of custody — video export", "fr": "Chaîne de possession — extraction vidéo"},
    "intro": {
        "en": "Footage extracted from the video-protection system (Code de la sécurité intérieure, L252-3"
        " and R252-11). The files' SHA-256 below and this sheet are listed in the export's manifest,"
        " signed with the node's key: a changed byte in any of them is detected.",
        "fr": "Images extraites du système de vidéoprotection (Code de la sécurité intérieure, L252-3 et"
        " R252-11). Les empreintes SHA-256 ci-dessous et cette fiche figurent dans le manifeste de"
        " l\u2019extraction, signé avec la clé du nœud\u00a0: tout octet modifié est détecté.",
    },
    "request": {"en": "Request", "fr": "Demande"},
    "authority": {"en": "Authority", "fr": "Autorité"},
    "reference": {"en": "Reference", "fr": "Référence"},
    "received": {"en": "Received", "fr": "Reçue le"},
    "reason": {"en": "Reason", "fr": "Motif"},
    "no_requisition": {"en": "none (export for a stated reason)", "fr": "aucune (extraction pour un motif)"},
    "footage": {"en": "Footage", "fr": "Images"},
    "export_id": {"en": "Export id", "fr": "Identifiant de l\u2019extraction"},
    "camera": {"en": "Camera", "fr": "Caméra"},
    "site": {"en": "Site", "fr": "Site"},
    "range": {"en": "Time range (UTC)", "fr": "Période (UTC)"},
    "files": {"en": "Files of the export", "fr": "Fichiers de l\u2019extraction"},
    "originals": {"en": "Original clips", "fr": "Séquences d\u2019origine"},
    "name": {"en": "File", "fr": "Fichier"},
    "sha256": {"en": "SHA-256", "fr": "SHA-256"},
    "size": {"en": "Bytes", "fr": "Octets"},
    "none": {"en": "None.", "fr": "Aucun."},
    "extraction": {"en": "Extraction", "fr": "Extraction"},
    "exported_by": {"en": "Exported by", "fr": "Extrait par"},
    "exported_at": {"en": "Exported at (UTC)", "fr": "Extrait le (UTC)"},
    "node": {"en": "Node", "fr": "Nœud"},
    "key": {"en": "Node's key fingerprint", "fr": "Empreinte de la clé du nœud"},
    "verify": {"en": "How to verify", "fr": "Vérification"},
    "verify_text": {
        "en": "With Tocsin and the node's public key, the command below (exit 0: the signature and every"
        " file verify). Without Tocsin: sha256sum each file against manifest.json, and check"
        " manifest.sig.json (Ed25519) over manifest.json's bytes with the node's public key.",
        "fr": "Avec Tocsin et la clé publique du nœud, la commande ci-dessous (code 0\u00a0: la signature"
        " et chaque fichier sont vérifiés). Sans Tocsin\u00a0: sha256sum de chaque fichier comparé à"
        " manifest.json, et la signature manifest.sig.json (Ed25519) des octets de manifest.json vérifiée"
        " avec la clé publique du nœud.",
    },
    "command": {"en": "Command", "fr": "Commande"},
    "handover": {"en": "Hand-over", "fr": "Remise"},
    "delivered_by": {"en": "Delivered by (name, signature)", "fr": "Remis par (nom, signature)"},
    "received_by": {"en": "Received by (name, signature)", "fr": "Reçu par (nom, signature)"},
    "date": {"en": "Date and time", "fr": "Date et heure"},
    "page": {"en": "page {n}", "fr": "page {n}"},
}
