namespace TicketHub.ServiceDefaults.Security;

public static class HubUserAudit
{
    /// <summary>
    /// <see cref="HubUser.AuditName"/> cut to <paramref name="maxLength"/> characters (never between
    /// the two halves of a surrogate pair): what an audit column of that size holds.
    /// </summary>
    public static string AuditNameWithin(this HubUser user, int maxLength)
    {
        var name = user.AuditName;
        if (name.Length <= maxLength)
        {
            return name;
        }

        return name[..(char.IsHighSurrogate(name[maxLength - 1]) ? maxLength - 1 : maxLength)];
    }
}
