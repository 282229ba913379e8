using Microsoft.AspNetCore.Authentication.JwtBearer;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;

namespace TicketHub.ServiceDefaults.Security;

/// <summary>
/// How a service knows who is acting: the gateway's internal token (<see cref="InternalTokenOptions"/>)
/// and nothing else. Every endpoint needs a valid token unless it says <c>AllowAnonymous</c> (the
/// health checks); roles and collège scope are then checked by the endpoint.
/// </summary>
public static class AuthenticationExtensions
{
    public static IHostApplicationBuilder AddHubAuthentication(this IHostApplicationBuilder builder)
    {
        builder.Services.AddOptions<InternalTokenOptions>()
            .Bind(builder.Configuration.GetSection(InternalTokenOptions.SectionName))
            .ValidateDataAnnotations()
            .Validate(HasReadablePublicKey, $"{InternalTokenOptions.SectionName}:PublicKey or PublicKeyFile must hold the gateway's public key (PEM).")
            .ValidateOnStart();

        builder.Services.AddAuthentication(JwtBearerDefaults.AuthenticationScheme).AddJwtBearer();
        builder.Services.AddOptions<JwtBearerOptions>(JwtBearerDefaults.AuthenticationScheme)
            .Configure<IOptions<InternalTokenOptions>>((jwt, tokens) =>
            {
                jwt.MapInboundClaims = false;
                jwt.RequireHttpsMetadata = false;
                jwt.TokenValidationParameters = InternalTokens.ValidationParameters(tokens.Value, InternalTokens.LoadPublicKey(tokens.Value));
            });

        builder.Services.AddAuthorizationBuilder()
            .SetFallbackPolicy(new AuthorizationPolicyBuilder()
                .RequireAuthenticatedUser()
                .RequireAssertion(context => HubUser.From(context.User) is not null)
                .Build());
        return builder;
    }

    /// <summary>Authentication then authorization; after <c>UseFrenchProblemDetails</c> so that 401 and 403 are French ProblemDetails.</summary>
    public static WebApplication UseHubAuthentication(this WebApplication app)
    {
        app.UseAuthentication();
        app.UseAuthorization();
        return app;
    }

    /// <summary>The endpoint needs one of <paramref name="roles"/> (403 otherwise).</summary>
    public static TBuilder RequireHubRoles<TBuilder>(this TBuilder builder, params string[] roles)
        where TBuilder : IEndpointConventionBuilder =>
        builder.RequireAuthorization(policy => policy
            .RequireAuthenticatedUser()
            .RequireAssertion(context => HubUser.From(context.User) is { } user && roles.Contains(user.Role, StringComparer.Ordinal)));

    private static bool HasReadablePublicKey(InternalTokenOptions options)
    {
        try
        {
            InternalTokens.LoadPublicKey(options);
            return true;
        }
        catch (Exception ex) when (ex is InvalidOperationException or ArgumentException or System.Security.Cryptography.CryptographicException or IOException)
        {
            return false;
        }
    }
}
