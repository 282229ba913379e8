namespace TicketHub.Sandbox.Mail;

/// <summary>Registers the mailbox pages: one line in the composition root, one in Program.</summary>
internal static class MailSandboxExtensions
{
    /// <summary>No validation: without <c>Sandbox:Mail:Maildir</c> the page says no mailbox is configured.</summary>
    public static IServiceCollection AddMailSandbox(this IServiceCollection services)
    {
        services.AddOptions<MailSandboxOptions>().BindConfiguration(MailSandboxOptions.SectionName);
        services.AddSingleton<Maildir>();
        return services;
    }
}
