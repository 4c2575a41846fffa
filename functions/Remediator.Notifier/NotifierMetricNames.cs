namespace Remediator.Notifier;

/// <summary>The notifier's EMF metrics (namespace and dimensions as every Remediator function's).</summary>
public static class NotifierMetricNames
{
    /// <summary>Records told, counted once per channel they reached.</summary>
    public const string NotificationsSent = "NotificationsSent";

    /// <summary>Records not told in this invocation, once per channel: reported back for a retry.</summary>
    public const string NotificationFailures = "NotificationFailures";

    /// <summary>Records that can never be told (unreadable item, channel not configured): logged, not retried.</summary>
    public const string NotificationsDropped = "NotificationsDropped";
}
