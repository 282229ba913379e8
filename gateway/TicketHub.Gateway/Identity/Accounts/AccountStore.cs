using Dapper;
using TicketHub.ServiceDefaults.Data;
using TicketHub.ServiceDefaults.Security;

namespace TicketHub.Gateway.Identity.Accounts;

/// <summary>A local account: a person who signs in on the gateway's page with a password.</summary>
public sealed record LocalAccount(Guid Id, string Login, string DisplayName, string Role, string? Uai, string PasswordHash, bool Disabled, DateTimeOffset CreatedAt)
{
    /// <summary>The login is the account's stable subject in the internal token.</summary>
    public HubUser ToHubUser() => new(Login, DisplayName, Role, Uai, IsApiKey: false);

    /// <summary>Logins are compared without case: stored and looked up lower-cased.</summary>
    public static string NormalizeLogin(string login) => login.Trim().ToLowerInvariant();
}

/// <summary>The <c>accounts</c> table.</summary>
public sealed class AccountStore(IDbConnectionFactory connections)
{
    private const string FindSql = """
        SELECT id AS Id, login AS Login, display_name AS DisplayName, role AS Role, uai AS Uai,
               password_hash AS PasswordHash, disabled AS Disabled, created_at AS CreatedAt
        FROM accounts WHERE login = @Login
        """;

    private const string InsertIfMissingSql = """
        INSERT INTO accounts (id, login, display_name, role, uai, password_hash, disabled, created_at)
        SELECT @Id, @Login, @DisplayName, @Role, @Uai, @PasswordHash, @Disabled, @CreatedAt
        WHERE NOT EXISTS (SELECT 1 FROM accounts WHERE login = @Login)
        """;

    private const string UpdatePasswordHashSql = "UPDATE accounts SET password_hash = @PasswordHash WHERE id = @Id";

    public async Task<LocalAccount?> FindAsync(string login, CancellationToken cancellationToken)
    {
        await using var connection = await connections.OpenAsync(cancellationToken);
        var row = await connection.QuerySingleOrDefaultAsync<AccountRow>(
            new CommandDefinition(FindSql, new { Login = LocalAccount.NormalizeLogin(login) }, cancellationToken: cancellationToken));
        return row?.ToAccount();
    }

    /// <summary>Creates the account unless its login exists; true when it was created.</summary>
    public async Task<bool> CreateIfMissingAsync(LocalAccount account, CancellationToken cancellationToken)
    {
        await using var connection = await connections.OpenAsync(cancellationToken);
        try
        {
            var created = await connection.ExecuteAsync(new CommandDefinition(InsertIfMissingSql, new
            {
                account.Id,
                Login = LocalAccount.NormalizeLogin(account.Login),
                account.DisplayName,
                account.Role,
                account.Uai,
                account.PasswordHash,
                account.Disabled,
                account.CreatedAt,
            }, cancellationToken: cancellationToken));
            return created == 1;
        }
        catch (Exception ex) when (SqlDialect.IsUniqueViolation(ex))
        {
            // Another gateway created it at the same moment.
            return false;
        }
    }

    public async Task UpdatePasswordHashAsync(Guid id, string passwordHash, CancellationToken cancellationToken)
    {
        await using var connection = await connections.OpenAsync(cancellationToken);
        await connection.ExecuteAsync(new CommandDefinition(UpdatePasswordHashSql, new { Id = id, PasswordHash = passwordHash }, cancellationToken: cancellationToken));
    }

    private sealed class AccountRow
    {
        public Guid Id { get; set; }
        public string Login { get; set; } = "";
        public string DisplayName { get; set; } = "";
        public string Role { get; set; } = "";
        public string? Uai { get; set; }
        public string PasswordHash { get; set; } = "";
        public bool Disabled { get; set; }
        public DateTimeOffset CreatedAt { get; set; }

        public LocalAccount ToAccount() => new(Id, Login, DisplayName, Role, Uai, PasswordHash, Disabled, CreatedAt);
    }
}
