## Le journal d’audit dans le navigateur

admin-audit = Journal d’activité
audit-csv = Télécharger en CSV
audit-csv-help = Le fichier CSV contient les événements choisis par les filtres, au plus les { $count } plus récents.
audit-chain-title = Intégrité du journal
audit-chain-ok = Vérifié { $when } : la chaîne de { $count } événements est intacte.
audit-chain-broken = Vérifié { $when } : la chaîne est rompue après { $count } événements intacts. Le journal a été modifié hors de Parvis.
audit-chain-since = { $count ->
    [one] Un événement a été enregistré depuis.
   *[other] { $count } événements ont été enregistrés depuis.
}
audit-chain-unverified = La chaîne n’a pas été vérifiée depuis le démarrage du serveur. La vérification relit chaque événement une fois.
audit-chain-count = { $count ->
    [one] Un événement est conservé.
   *[other] { $count } événements sont conservés.
}
audit-chain-verify = Vérifier la chaîne maintenant
audit-filters = Filtrer le journal d’activité
audit-who = Personne (e-mail ou nom complet)
audit-action = Action
audit-target-type = Type d’objet
audit-target-id = Numéro de l’objet
audit-from = Du
audit-to = Au
audit-none = Aucun événement ne correspond.
audit-when = Quand
audit-actor = Qui
audit-target = Objet
audit-ip = Adresse d’origine
audit-detail = Détails
audit-older = Événements plus anciens
audit-actor-cli = Ligne de commande
audit-actor-system = Parvis
audit-actor-anonymous = Visiteur (non connecté)
audit-actor-someone = Quelqu’un
space-activity-title = Activité de { $space }
space-activity-back = Retour à { $space }
space-activity-intro = Tout ce qui a été enregistré sur cet espace, ses fichiers et ses dossiers, du plus récent au plus ancien, dans la limite de ce que vous pouvez voir.
space-activity-the-space = L’espace
space-activity-link = Journal d’activité de l’espace
error-audit-person-unknown = Personne n’a cette adresse e-mail ou exactement ce nom.
error-audit-target-type-invalid = Le type d’objet est un mot en minuscules, comme person, space ou document.
error-audit-target-id-invalid = Le numéro de l’objet compte au plus 64 lettres, chiffres, points, tirets ou soulignés.
error-audit-action-invalid = L’action est le début d’un nom d’action, comme person. ou signin.failure.
error-audit-date-invalid = Les dates s’écrivent AAAA-MM-JJ.
error-audit-dates-reversed = Le premier jour doit précéder le dernier.
error-audit-page-invalid = Cette page du journal n’existe pas ; repartez des événements les plus récents.
