using Microsoft.Extensions.Options;
using TicketHub.Connectors.Shared.Http;

namespace TicketHub.Connectors.Shared.Attachments;

public static class AttachmentSourceExtensions
{
    /// <summary>Name of the HTTP client that reads the files from intake.</summary>
    public const string ClientName = nameof(AttachmentSource);

    /// <summary>
    /// What a connector needs to add a ticket's files to its tool as documents, once each: the
    /// <c>Intake</c> options (validated at start), the client that reads the files from intake (its
    /// own resilience pipeline: a GET, retried on any transient failure), the <c>sent_documents</c>
    /// ledger, and <see cref="DocumentSender"/> over the tool's <typeparamref name="TTool"/>.
    /// </summary>
    public static IServiceCollection AddAttachmentDocuments<TTool>(this IServiceCollection services)
        where TTool : class, IDocumentTool
    {
        services.AddOptions<IntakeOptions>().BindConfiguration(IntakeOptions.SectionName).ValidateOnStart();
        services.AddSingleton<IValidateOptions<IntakeOptions>, IntakeOptionsValidator>();
        services.AddTransient<IntakeKeyHandler>();
        var client = services.AddHttpClient<AttachmentSource>(ClientName, (provider, http) =>
            {
                var options = provider.GetRequiredService<IOptions<IntakeOptions>>().Value;
                http.BaseAddress = options.BaseUri;
                // The body is read after the pipeline's attempt ends: the client's own timeout bounds the whole call.
                http.Timeout = options.Timeout * 4;
                // Intake keeps files of 10 MB at most; a larger answer is not a file it announced.
                http.MaxResponseContentBufferSize = 64L * 1024 * 1024;
            })
            .RedactLoggedHeaders([IntakeKeyHandler.Header]);
        client.AddConnectorResilience(
            provider => provider.GetRequiredService<IOptions<IntakeOptions>>().Value.Timeout,
            retry => retry.RetryOnlyWhen((request, _) => request?.Method == HttpMethod.Get));
        client.AddHttpMessageHandler<IntakeKeyHandler>();

        services.AddSingleton<DocumentLedger>();
        services.AddScoped<IDocumentTool, TTool>();
        services.AddScoped<DocumentSender>();
        return services;
    }
}
