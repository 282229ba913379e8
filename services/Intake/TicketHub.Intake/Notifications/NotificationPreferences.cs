using Dapper;
using TicketHub.ServiceDefaults.Data;

namespace TicketHub.Intake.Notifications;

/// <summary>What each person chose to be told, by e-mail address, and the addresses the mail server refused for good.</summary>
public sealed class NotificationPreferences(UnitOfWork units, TimeProvider clock)
{
    private const string UpdateModeSql = "UPDATE notification_preferences SET mode = @Mode, updated_at = @Now, bounced_at = NULL, bounce_reason = NULL WHERE email = @Email";

    private const string InsertSql = """
        INSERT INTO notification_preferences (email, mode, updated_at, bounced_at, bounce_reason) VALUES (@Email, @Mode, @Now, @BouncedAt, @Reason)
        """;

    private const string UpdateBounceSql = "UPDATE notification_preferences SET bounced_at = @BouncedAt, bounce_reason = @Reason WHERE email = @Email";

    private const string SelectOneSql = "SELECT email, mode, bounced_at FROM notification_preferences WHERE email = @Email";

    /// <summary>The choices of <paramref name="emails"/> (lower case) that differ from the default, in the unit of work in progress.</summary>
    /// <remarks>One indexed read per address (a ticket has a few people): the same statement on every database.</remarks>
    public static async Task<IReadOnlyDictionary<string, Preference>> ReadAsync(IReadOnlyCollection<string> emails, CancellationToken cancellationToken)
    {
        var found = new Dictionary<string, Preference>(StringComparer.Ordinal);
        foreach (var email in emails)
        {
            if (await UnitOfWork.Connection.QuerySingleOrDefaultAsync<Preference>(new CommandDefinition(SelectOneSql, new { Email = email }, UnitOfWork.Current,
                cancellationToken: cancellationToken)) is { } preference)
            {
                found[email] = preference;
            }
        }

        return found;
    }

    /// <summary>The choice of <paramref name="email"/> (the default when it made none).</summary>
    public Task<Preference> FindAsync(string email, CancellationToken cancellationToken) =>
        units.RunAsync(async () => await UnitOfWork.Connection.QuerySingleOrDefaultAsync<Preference>(new CommandDefinition(SelectOneSql,
            new { Email = Normalise(email) }, UnitOfWork.Current, cancellationToken: cancellationToken))
            ?? new Preference { Email = Normalise(email), Mode = NotificationModes.Immediate }, cancellationToken);

    /// <summary>Records <paramref name="mode"/> for <paramref name="email"/>; choosing again clears a recorded bounce.</summary>
    public Task SetModeAsync(string email, string mode, CancellationToken cancellationToken) =>
        units.RunAsync(async () =>
        {
            var args = new { Email = Normalise(email), Mode = mode, Now = clock.GetUtcNow(), BouncedAt = (DateTimeOffset?)null, Reason = (string?)null };
            if (await UnitOfWork.Connection.ExecuteAsync(new CommandDefinition(UpdateModeSql, args, UnitOfWork.Current, cancellationToken: cancellationToken)) == 0)
            {
                await UnitOfWork.Connection.ExecuteAsync(new CommandDefinition(InsertSql, args, UnitOfWork.Current, cancellationToken: cancellationToken));
            }
        }, cancellationToken);

    /// <summary>The mail server refused <paramref name="email"/> for good: recorded on the person, in the unit of work in progress.</summary>
    public async Task RecordBounceAsync(string email, string reason, CancellationToken cancellationToken)
    {
        var now = clock.GetUtcNow();
        var args = new { Email = Normalise(email), Mode = NotificationModes.Immediate, Now = now, BouncedAt = (DateTimeOffset?)now,
            Reason = reason.Length > 500 ? reason[..500] : reason };
        if (await UnitOfWork.Connection.ExecuteAsync(new CommandDefinition(UpdateBounceSql, args, UnitOfWork.Current, cancellationToken: cancellationToken)) == 0)
        {
            await UnitOfWork.Connection.ExecuteAsync(new CommandDefinition(InsertSql, args, UnitOfWork.Current, cancellationToken: cancellationToken));
        }
    }

    /// <summary>How addresses are kept and compared: trimmed, lower case.</summary>
    public static string Normalise(string email) => email.Trim().ToLowerInvariant();

    public sealed class Preference
    {
        public string Email { get; init; } = "";
        public string Mode { get; init; } = NotificationModes.Immediate;
        public DateTimeOffset? BouncedAt { get; init; }
    }
}
