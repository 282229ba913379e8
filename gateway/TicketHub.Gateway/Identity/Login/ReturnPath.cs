namespace TicketHub.Gateway.Identity.Login;

/// <summary>
/// The <c>retour</c> parameter: where to go after signing in. Only a path of this site is
/// accepted (<c>/demandes?statut=ouverte</c>); anything that a browser could read as another site
/// (<c>https://…</c>, <c>//host</c>, <c>/\host</c>, control characters) becomes <c>/</c>.
/// </summary>
public static class ReturnPath
{
    public const string Home = "/";

    private const int MaxLength = 2048;

    public static string Sanitize(string? value)
    {
        if (string.IsNullOrEmpty(value) || value.Length > MaxLength || value[0] != '/')
        {
            return Home;
        }

        if (value.Length > 1 && value[1] is '/' or '\\')
        {
            return Home;
        }

        return value.Any(c => char.IsControl(c) || c == '\\' || char.IsWhiteSpace(c)) ? Home : value;
    }
}
