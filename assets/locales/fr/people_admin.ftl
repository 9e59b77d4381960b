## Administration des personnes : informations, filtres et actions groupées

roster-filters = Filtrer les personnes
roster-any-org = Toutes les organisations
roster-any-kind = Tous les types
roster-any-end = Toute fin d’accès
roster-ends-30 = Fin dans les 30 jours
roster-clear = Effacer les filtres
roster-kind-internal = Interne (personnel)
roster-kind-client = Client
roster-kind-partner = Partenaire
roster-kind-supplier = Fournisseur
roster-kind-other = Autre
roster-count = { $count ->
    [0] Personne ne correspond.
    [one] Une personne.
   *[other] { $count } personnes.
}
roster-last-signin = Dernière connexion
roster-second-factor = Second facteur
roster-never = Jamais
roster-no-end = Sans fin
roster-ends-soon = bientôt
roster-mfa-totp = Application d’authentification
roster-mfa-passkeys = { $count ->
    [one] Une clé d’accès
   *[other] { $count } clés d’accès
}
roster-mfa-none = Aucun
roster-select = Sélectionner { $name }
roster-bulk-legend = Pour les personnes cochées dans la liste
roster-bulk-renew = Prolonger l’accès de
roster-bulk-days = jours
roster-bulk-end = Mettre fin à l’accès maintenant
roster-bulk-apply = Appliquer
roster-bulk-help = Seules les personnes externes ont une fin d’accès ; chaque changement est inscrit au journal d’audit. Mettre fin à l’accès déconnecte aussitôt la personne partout.
roster-renewed = { $count ->
    [one] Accès prolongé pour une personne.
   *[other] Accès prolongé pour { $count } personnes.
}
roster-ended = { $count ->
    [one] Accès terminé pour une personne.
   *[other] Accès terminé pour { $count } personnes.
}
roster-refused = { $count ->
    [one] Une personne n’a pas été modifiée :
   *[other] { $count } personnes n’ont pas été modifiées :
}
roster-refusal = { $name } : { $reason }
error-roster-kind-unknown = Type d’organisation inconnu dans le filtre : choisissez interne, client, partenaire, fournisseur ou autre.
error-roster-org-unknown = Organisation inconnue dans le filtre.
error-roster-ends-invalid = Le filtre de fin d’accès doit être un nombre de jours entre 1 et 365.
error-roster-action-invalid = Choisissez quoi faire pour les personnes sélectionnées : prolonger leur accès ou y mettre fin.
error-roster-selection-empty = Cochez d’abord au moins une personne dans la liste.
error-roster-selection-invalid = La sélection n’est pas valide ; rechargez la page et réessayez.
error-roster-selection-too-large = Au plus 500 personnes peuvent être modifiées à la fois.
error-roster-person-unknown = Cette personne n’existe pas.
