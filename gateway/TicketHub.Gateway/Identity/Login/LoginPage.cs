using System.Text;
using System.Text.Encodings.Web;

namespace TicketHub.Gateway.Identity.Login;

/// <summary>What the sign-in page shows: the fields' values and errors, and a message for the whole form.</summary>
public sealed record LoginForm(string ReturnPath, string Login = "")
{
    public string? LoginError { get; init; }

    public string? PasswordError { get; init; }

    /// <summary>An error about the whole form (wrong credentials, expired form, too many attempts).</summary>
    public string? FormError { get; init; }

    public bool HasErrors => LoginError is not null || PasswordError is not null || FormError is not null;
}

/// <summary>
/// The gateway's sign-in page, server-rendered HTML in French with the DSFR's classes (its style
/// sheet is served by the portal through the gateway). Plain semantic HTML underneath: labels
/// bound to their fields, errors tied to them with <c>aria-describedby</c>, usable unstyled and
/// without JavaScript.
/// </summary>
public static class LoginPage
{
    // French stays readable in the page's source; markup characters are still encoded.
    private static readonly HtmlEncoder Html = HtmlEncoder.Create(System.Text.Unicode.UnicodeRanges.All);

    public static string Render(LoginForm form, string antiforgeryFieldName, string antiforgeryToken, string? oidcDisplayName)
    {
        var body = new StringBuilder();
        body.Append("<h1>Connexion à TicketHub</h1>\n");
        if (form.FormError is not null)
        {
            body.Append("<div class=\"fr-alert fr-alert--error fr-mb-3w\" role=\"alert\" id=\"connexion-erreur\">\n")
                .Append("<h2 class=\"fr-alert__title\">Connexion impossible</h2>\n")
                .Append("<p>").Append(Html.Encode(form.FormError)).Append("</p>\n</div>\n");
        }

        body.Append("<form method=\"post\" action=\"/connexion\" novalidate>\n")
            .Append("<input type=\"hidden\" name=\"").Append(Html.Encode(antiforgeryFieldName)).Append("\" value=\"").Append(Html.Encode(antiforgeryToken)).Append("\">\n")
            .Append("<input type=\"hidden\" name=\"retour\" value=\"").Append(Html.Encode(form.ReturnPath)).Append("\">\n")
            .Append("<fieldset class=\"fr-fieldset\" aria-labelledby=\"identifiants-legende\">\n")
            .Append("<legend class=\"fr-fieldset__legend\" id=\"identifiants-legende\">Vos identifiants</legend>\n");
        Field(body, form, "login", "Identifiant", "Par exemple : secretariat.0931234x", "text", "username", form.Login, form.LoginError);
        Field(body, form, "password", "Mot de passe", null, "password", "current-password", "", form.PasswordError);
        body.Append("</fieldset>\n")
            .Append("<button class=\"fr-btn\" type=\"submit\">Se connecter</button>\n")
            .Append("</form>\n");

        if (oidcDisplayName is not null)
        {
            body.Append("<hr class=\"fr-mt-4w\">\n<p>Vous avez un compte académique ou départemental ?</p>\n")
                .Append("<p><a class=\"fr-btn fr-btn--secondary\" href=\"/connexion/oidc?retour=")
                .Append(Html.Encode(Uri.EscapeDataString(form.ReturnPath)))
                .Append("\">Se connecter avec ").Append(Html.Encode(oidcDisplayName)).Append("</a></p>\n");
        }

        return Document(form.HasErrors ? "Erreur – Connexion" : "Connexion", body.ToString());
    }

    /// <summary>A short page that explains why signing in could not go on.</summary>
    public static string RenderMessage(string title, string message)
    {
        var body = new StringBuilder()
            .Append("<h1>").Append(Html.Encode(title)).Append("</h1>\n")
            .Append("<div class=\"fr-alert fr-alert--error fr-mb-3w\" role=\"alert\"><p>").Append(Html.Encode(message)).Append("</p></div>\n")
            .Append("<p><a class=\"fr-link\" href=\"/connexion\">Revenir à la page de connexion</a></p>\n");
        return Document(title, body.ToString());
    }

    private static void Field(StringBuilder body, LoginForm form, string name, string label, string? hint, string type, string autocomplete, string value, string? error)
    {
        var errorId = $"{name}-erreur";
        var describedBy = string.Join(' ', new[] { error is null ? null : errorId, form.FormError is null ? null : "connexion-erreur" }.OfType<string>());
        body.Append("<div class=\"fr-fieldset__element\">\n")
            .Append("<div class=\"fr-input-group").Append(error is null ? "" : " fr-input-group--error").Append("\">\n")
            .Append("<label class=\"fr-label\" for=\"").Append(name).Append("\">").Append(Html.Encode(label));
        if (hint is not null)
        {
            body.Append("\n<span class=\"fr-hint-text\">").Append(Html.Encode(hint)).Append("</span>");
        }

        body.Append("</label>\n")
            .Append("<input class=\"fr-input").Append(error is null ? "" : " fr-input--error").Append("\" id=\"").Append(name)
            .Append("\" name=\"").Append(name).Append("\" type=\"").Append(type).Append("\" autocomplete=\"").Append(autocomplete)
            .Append("\" required");
        if (type == "text")
        {
            body.Append(" autocapitalize=\"none\" spellcheck=\"false\" value=\"").Append(Html.Encode(value)).Append('"');
        }

        if (error is not null || form.FormError is not null)
        {
            body.Append(" aria-invalid=\"true\"");
        }

        if (describedBy.Length > 0)
        {
            body.Append(" aria-describedby=\"").Append(describedBy).Append('"');
        }

        body.Append(">\n");
        if (error is not null)
        {
            body.Append("<p class=\"fr-error-text\" id=\"").Append(errorId).Append("\">").Append(Html.Encode(error)).Append("</p>\n");
        }

        body.Append("</div>\n</div>\n");
    }

    private static string Document(string title, string main) => $$"""
        <!DOCTYPE html>
        <html lang="fr" data-fr-scheme="system">
        <head>
        <meta charset="utf-8">
        <meta name="viewport" content="width=device-width, initial-scale=1">
        <title>{{Html.Encode(title)}} – TicketHub</title>
        <link rel="stylesheet" href="/dsfr/dsfr.min.css">
        </head>
        <body>
        <div class="fr-skiplinks">
        <nav class="fr-container" aria-label="Accès rapide">
        <ul class="fr-skiplinks__list"><li><a class="fr-link" href="#contenu">Aller au contenu</a></li></ul>
        </nav>
        </div>
        <header class="fr-header">
        <div class="fr-header__body"><div class="fr-container"><div class="fr-header__body-row">
        <div class="fr-header__brand">
        <div class="fr-header__service">
        <p class="fr-header__service-title">TicketHub</p>
        <p class="fr-header__service-tagline">L'assistance informatique des collèges</p>
        </div>
        </div>
        </div></div></div>
        </header>
        <main id="contenu" class="fr-container fr-my-6w" tabindex="-1">
        <div class="fr-grid-row fr-grid-row--center"><div class="fr-col-12 fr-col-md-8 fr-col-lg-6">
        {{main}}</div></div>
        </main>
        <footer class="fr-footer">
        <div class="fr-container"><p class="fr-footer__content-desc">TicketHub – un seul formulaire pour toutes les demandes d'assistance des collèges.</p></div>
        </footer>
        </body>
        </html>
        """;
}
