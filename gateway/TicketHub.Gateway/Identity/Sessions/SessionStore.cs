using System.Security.Cryptography;
using Dapper;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.Extensions.Options;
using TicketHub.ServiceDefaults.Data;
using TicketHub.ServiceDefaults.Security;

namespace TicketHub.Gateway.Identity.Sessions;

/// <summary>
/// The sessions, held in the gateway's database (the cookie handler's <see cref="ITicketStore"/>):
/// the cookie carries only a random id, so signing out, which deletes the row, ends the session for
/// every copy of the cookie. Several gateways sharing the database share the sessions.
/// </summary>
public sealed class SessionStore(IDbConnectionFactory connections, TimeProvider clock, IOptions<IdentityOptions.CookieSettings> cookie) : ITicketStore
{
    private const string InsertSql = """
        INSERT INTO sessions (id, subject, ticket, created_at, expires_at)
        VALUES (@Id, @Subject, @Ticket, @CreatedAt, @ExpiresAt)
        """;

    private const string PurgeSql = "DELETE FROM sessions WHERE expires_at < @Now";

    private const string FindSql = "SELECT ticket FROM sessions WHERE id = @Id AND expires_at >= @Now";

    private const string RenewSql = "UPDATE sessions SET ticket = @Ticket, expires_at = @ExpiresAt WHERE id = @Id";

    private const string DeleteSql = "DELETE FROM sessions WHERE id = @Id";

    public async Task<string> StoreAsync(AuthenticationTicket ticket)
    {
        var id = Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(32));
        var now = clock.GetUtcNow();
        await using var connection = await connections.OpenAsync(CancellationToken.None);
        await connection.ExecuteAsync(PurgeSql, new { Now = now });
        await connection.ExecuteAsync(InsertSql, new
        {
            Id = id,
            Subject = HubUser.From(ticket.Principal)?.Id ?? "?",
            Ticket = TicketSerializer.Default.Serialize(ticket),
            CreatedAt = now,
            ExpiresAt = ExpiresAt(ticket, now),
        });
        return id;
    }

    public async Task RenewAsync(string key, AuthenticationTicket ticket)
    {
        await using var connection = await connections.OpenAsync(CancellationToken.None);
        await connection.ExecuteAsync(RenewSql, new { Id = key, Ticket = TicketSerializer.Default.Serialize(ticket), ExpiresAt = ExpiresAt(ticket, clock.GetUtcNow()) });
    }

    public async Task<AuthenticationTicket?> RetrieveAsync(string key)
    {
        await using var connection = await connections.OpenAsync(CancellationToken.None);
        var bytes = await connection.QuerySingleOrDefaultAsync<byte[]>(FindSql, new { Id = key, Now = clock.GetUtcNow() });
        return bytes is null ? null : TicketSerializer.Default.Deserialize(bytes);
    }

    public async Task RemoveAsync(string key)
    {
        await using var connection = await connections.OpenAsync(CancellationToken.None);
        await connection.ExecuteAsync(DeleteSql, new { Id = key });
    }

    /// <summary>The ticket's own expiry (sliding), or the cookie's lifetime from now.</summary>
    private DateTimeOffset ExpiresAt(AuthenticationTicket ticket, DateTimeOffset now) =>
        ticket.Properties.ExpiresUtc ?? now + cookie.Value.Lifetime;
}

/// <summary>Gives the session cookie its store once the container can build it.</summary>
public sealed class SessionStoreSetup(SessionStore store) : IPostConfigureOptions<CookieAuthenticationOptions>
{
    public void PostConfigure(string? name, CookieAuthenticationOptions options)
    {
        if (name == GatewayAuthentication.CookieScheme)
        {
            options.SessionStore = store;
        }
    }
}
