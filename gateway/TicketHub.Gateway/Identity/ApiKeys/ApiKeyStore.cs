using Dapper;
using TicketHub.ServiceDefaults.Data;
using TicketHub.ServiceDefaults.Security;

namespace TicketHub.Gateway.Identity.ApiKeys;

/// <summary>A machine client's key, as stored: its secret only as a hash.</summary>
public sealed record ApiKey(string Id, string Name, string Role, string? Uai, string SecretHash, DateTimeOffset CreatedAt, DateTimeOffset? LastUsedAt, bool Revoked)
{
    /// <summary>The key's subject in the internal token: <c>key:&lt;id&gt;</c>, never the secret.</summary>
    public HubUser ToHubUser() => new($"key:{Id}", Name, Role, Uai, IsApiKey: true);
}

/// <summary>The <c>api_keys</c> table.</summary>
public sealed class ApiKeyStore(IDbConnectionFactory connections)
{
    private const string FindSql = """
        SELECT id AS Id, name AS Name, role AS Role, uai AS Uai, secret_hash AS SecretHash,
               created_at AS CreatedAt, last_used_at AS LastUsedAt, revoked AS Revoked
        FROM api_keys WHERE id = @Id
        """;

    private const string InsertIfMissingSql = """
        INSERT INTO api_keys (id, name, role, uai, secret_hash, created_at, last_used_at, revoked)
        SELECT @Id, @Name, @Role, @Uai, @SecretHash, @CreatedAt, NULL, @Revoked
        WHERE NOT EXISTS (SELECT 1 FROM api_keys WHERE id = @Id)
        """;

    private const string RevokeSql = "UPDATE api_keys SET revoked = @Revoked WHERE id = @Id";

    private const string TouchSql = "UPDATE api_keys SET last_used_at = @At WHERE id = @Id";

    public async Task<ApiKey?> FindAsync(string id, CancellationToken cancellationToken)
    {
        await using var connection = await connections.OpenAsync(cancellationToken);
        var row = await connection.QuerySingleOrDefaultAsync<ApiKeyRow>(new CommandDefinition(FindSql, new { Id = id }, cancellationToken: cancellationToken));
        return row?.ToApiKey();
    }

    /// <summary>Stores the key unless its id exists; true when it was created.</summary>
    public async Task<bool> CreateIfMissingAsync(ApiKey key, CancellationToken cancellationToken)
    {
        await using var connection = await connections.OpenAsync(cancellationToken);
        try
        {
            var created = await connection.ExecuteAsync(new CommandDefinition(InsertIfMissingSql, new
            {
                key.Id,
                key.Name,
                key.Role,
                key.Uai,
                key.SecretHash,
                key.CreatedAt,
                key.Revoked,
            }, cancellationToken: cancellationToken));
            return created == 1;
        }
        catch (Exception ex) when (SqlDialect.IsUniqueViolation(ex))
        {
            return false;
        }
    }

    /// <summary>Refuses the key from now on. There is no way back: a new key is issued instead.</summary>
    public async Task RevokeAsync(string id, CancellationToken cancellationToken)
    {
        await using var connection = await connections.OpenAsync(cancellationToken);
        await connection.ExecuteAsync(new CommandDefinition(RevokeSql, new { Id = id, Revoked = true }, cancellationToken: cancellationToken));
    }

    public async Task TouchAsync(string id, DateTimeOffset at, CancellationToken cancellationToken)
    {
        await using var connection = await connections.OpenAsync(cancellationToken);
        await connection.ExecuteAsync(new CommandDefinition(TouchSql, new { Id = id, At = at }, cancellationToken: cancellationToken));
    }

    private sealed class ApiKeyRow
    {
        public string Id { get; set; } = "";
        public string Name { get; set; } = "";
        public string Role { get; set; } = "";
        public string? Uai { get; set; }
        public string SecretHash { get; set; } = "";
        public DateTimeOffset CreatedAt { get; set; }
        public DateTimeOffset? LastUsedAt { get; set; }
        public bool Revoked { get; set; }

        public ApiKey ToApiKey() => new(Id, Name, Role, Uai, SecretHash, CreatedAt, LastUsedAt, Revoked);
    }
}
