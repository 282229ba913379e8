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

    /// <summary>
    /// The AMQP heartbeat asked of the broker. A connection on which the broker has fallen silent
    /// (socket open, nothing coming: a broker hung while stopping, a half-open network path) is
    /// closed by the client after about two missed heartbeats, and MassTransit connects again;
    /// without it, the service waits on that connection for good (ADR 12). 10 s by default.
    /// </summary>
    [Range(typeof(TimeSpan), "00:00:01", "00:10:00", ErrorMessage = "RabbitMq:Heartbeat must be between 1 second and 10 minutes.")]
    public TimeSpan Heartbeat { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>
    /// The nodes of a RabbitMQ cluster (<c>host</c> or <c>host:port</c>), tried in turn when the one in
    /// use is lost; empty for one broker at <see cref="Host"/> (issue 13).
    /// </summary>
    public string[] ClusterNodes { get; set; } = [];

    /// <summary>
    /// Declares the service's queues as quorum queues, replicated on the cluster's nodes so that the
    /// loss of one node loses no message (issue 13). Off by default: RabbitMQ refuses to redeclare an
    /// existing classic queue as a quorum one, so an installation switches when its queues are empty
    /// (or on a new virtual host).
    /// </summary>
    public bool QuorumQueues { get; set; }
}
