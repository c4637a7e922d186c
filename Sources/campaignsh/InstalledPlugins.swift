import AuditPlugin
import CampaignsPlugin
import CapacityPlugin
import MetricsPlugin
import SessionPlugin
import ShellKit
import TransitionsPlugin
import WebhookPlugin

/// The shell's plugins, in the order `help` lists them. Command names must be unique across them
/// (checked by a test).
enum InstalledPlugins {
    static let all: [any ShellPlugin.Type] = [
        SessionPlugin.self, CampaignsPlugin.self, TransitionsPlugin.self, CapacityPlugin.self, AuditPlugin.self,
        MetricsPlugin.self, WebhookPlugin.self,
    ]
}
