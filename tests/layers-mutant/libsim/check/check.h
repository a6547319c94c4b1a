/* a check header: the model must never include it */
