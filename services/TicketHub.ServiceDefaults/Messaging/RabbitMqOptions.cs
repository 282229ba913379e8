using System.ComponentModel.DataAnnotations;

namespace TicketHub.ServiceDefaults.Messaging;

/// <summary>Bound from the <c>RabbitMq</c> section (env: <c>RabbitMq__Host</c>, …).</summary>
public sealed class RabbitMqOptions
{
    public const string SectionName = "RabbitMq";

    [Required(ErrorMessage = "RabbitMq:Host is required (the broker's host name or address).")]
    public string Host { get; set; } = "";

    [Range(1, 65535, ErrorMessage = "RabbitMq:Port must be a TCP port.")]
    public int Port { get; set; } = 5672;

    public string VirtualHost { get; set; } = "/";

    [Required(ErrorMessage = "RabbitMq:Username is required.")]
    public string Username { get; set; } = "";

    [Required(ErrorMessage = "RabbitMq:Password is required.")]
    public string Password { get; set; } = "";
}
