using System.Collections.Concurrent;
using TicketHub.Connectors.Glpi.Glpi;

namespace TicketHub.Connectors.Glpi.Forwarding;

/// <summary>
/// The GLPI requester of a hub ticket: the GLPI user whose e-mail is the requester's when there is
/// one (remembered for the life of the process), else the e-mail alone, which GLPI notifies
/// (<c>_users_id_requester_notif</c>). A GLPI that refuses to list users (rights) is not an error:
/// the ticket then names the e-mail. An answer that cannot be read throws, and the creation is retried.
/// </summary>
internal sealed partial class GlpiRequesters(IGlpiApi glpi, ILogger<GlpiRequesters> logger)
{
    private readonly ConcurrentDictionary<string, int> _users = new(StringComparer.OrdinalIgnoreCase);

    public async Task<GlpiRequester> FindAsync(string? email, CancellationToken cancellationToken)
    {
        if (string.IsNullOrWhiteSpace(email))
        {
            return GlpiRequester.None;
        }

        email = email.Trim();
        if (_users.TryGetValue(email, out var known))
        {
            return new GlpiRequester(known, email);
        }

        int? userId;
        try
        {
            userId = await glpi.FindUserByEmailAsync(email, cancellationToken);
        }
        catch (GlpiException ex) when (ex.Error.IsRefusal)
        {
            LogUsersUnreadable(ex.Error.ToString());
            return new GlpiRequester(null, email);
        }

        if (userId is { } id)
        {
            _users[email] = id;
        }

        return new GlpiRequester(userId, email);
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "GLPI would not search its users ({GlpiError}); the ticket names the requester by e-mail only")]
    private partial void LogUsersUnreadable(string glpiError);
}
