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
    "video.verify_hint": {
        "en": "V records what the images show: that is the video verification step.",
        "fr": "V consigne ce que montrent les images\u00a0: c\u2019est l\u2019étape de levée de doute vidéo.",
    },
}
