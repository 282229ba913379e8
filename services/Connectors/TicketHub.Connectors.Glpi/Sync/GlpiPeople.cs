using Refit;
using TicketHub.Connectors.Glpi.Glpi;

namespace TicketHub.Connectors.Glpi.Sync;

/// <summary>
/// Who wrote what in GLPI: the API account's own user id (its follow-ups are the hub's, never
/// replies) and technicians' names, each asked of GLPI once per process. A GLPI that refuses to say
/// (rights) is not an error: the sync then relies on the follow-ups it recorded, and names stay empty.
/// Used by the sync loop only, one call at a time.
/// </summary>
internal sealed partial class GlpiPeople(IGlpiApi glpi, ILogger<GlpiPeople> logger)
{
    private readonly Dictionary<int, string?> _names = [];
    private (bool Known, int? Id) _apiUser;

    /// <summary>The user the API account logs in as, or null when GLPI would not tell.</summary>
    public async Task<int?> ApiUserIdAsync(CancellationToken cancellationToken)
    {
        if (_apiUser.Known)
        {
            return _apiUser.Id;
        }

        try
        {
            var session = await glpi.GetFullSessionAsync(cancellationToken);
            _apiUser = (true, session.Session?.UserId is > 0 and var id ? id : null);
        }
        catch (ApiException ex) when (GlpiError.From(ex.StatusCode, ex.Content).IsRefusal)
        {
            LogApiUserUnknown(GlpiError.From(ex.StatusCode, ex.Content).ToString());
            _apiUser = (true, null);
        }

        return _apiUser.Id;
    }

    /// <summary>"Firstname Realname" of a GLPI user, or null.</summary>
    public async Task<string?> NameAsync(int userId, CancellationToken cancellationToken)
    {
        if (userId <= 0)
        {
            return null;
        }

        if (_names.TryGetValue(userId, out var known))
        {
            return known;
        }

        string? name;
        try
        {
            name = (await glpi.GetUserAsync(userId, cancellationToken)).DisplayName;
        }
        catch (ApiException ex) when (GlpiError.From(ex.StatusCode, ex.Content).IsRefusal)
        {
            LogNameUnknown(userId, GlpiError.From(ex.StatusCode, ex.Content).ToString());
            name = null;
        }

        _names[userId] = name;
        return name;
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "GLPI would not say which user the API account is ({GlpiError}); only the follow-ups the hub recorded are recognised as its own")]
    private partial void LogApiUserUnknown(string glpiError);

    [LoggerMessage(Level = LogLevel.Information, Message = "GLPI would not give the name of user {UserId} ({GlpiError}); replies from them carry no name")]
    private partial void LogNameUnknown(int userId, string glpiError);
}
