using Microsoft.AspNetCore.Identity;

namespace TicketHub.Gateway.Identity.Accounts;

/// <summary>
/// Checks a login and password. The answer takes about as long whether the login exists, is
/// disabled or the password is wrong: an unknown login is checked against a throw-away hash, so
/// that timing does not tell which logins exist.
/// </summary>
/// <remarks>Made once at start (<see cref="Identity.IdentityExtensions.UseGatewayIdentity"/>), so that the first unknown login is not slower than the others.</remarks>
public sealed class PasswordSignIn(AccountStore accounts, IPasswordHasher<LocalAccount> hasher)
{
    private static readonly LocalAccount Decoy = new(Guid.Empty, "", "", "", null, "", true, DateTimeOffset.MinValue);

    private readonly string _decoyHash = hasher.HashPassword(Decoy, Convert.ToHexString(System.Security.Cryptography.RandomNumberGenerator.GetBytes(16)));

    /// <summary>The account, or null when the login is unknown, the password wrong or the account disabled.</summary>
    public async Task<LocalAccount?> VerifyAsync(string login, string password, CancellationToken cancellationToken)
    {
        var account = await accounts.FindAsync(login, cancellationToken);
        if (account is null)
        {
            hasher.VerifyHashedPassword(Decoy, _decoyHash, password);
            return null;
        }

        var result = hasher.VerifyHashedPassword(account, account.PasswordHash, password);
        if (result == PasswordVerificationResult.Failed || account.Disabled)
        {
            return null;
        }

        if (result == PasswordVerificationResult.SuccessRehashNeeded)
        {
            await accounts.UpdatePasswordHashAsync(account.Id, hasher.HashPassword(account, password), cancellationToken);
        }

        return account;
    }
}
