namespace TicketHub.Intake.Http;

/// <summary>
/// Who acts, until the identity issue puts an authenticated user here: the gateway will set the
/// header from the login and refuse it from outside (ADR 0006).
/// </summary>
public static class ActingUser
{
    public const string Header = "X-TicketHub-User";

    private const int MaxLength = 200;

    /// <summary>The trimmed header, or null when it is missing, too long or holds control characters.</summary>
    public static string? Read(HttpRequest request)
    {
        var user = request.Headers[Header].ToString().Trim();
        return user.Length is 0 or > MaxLength || user.Any(char.IsControl) ? null : user;
    }
}
