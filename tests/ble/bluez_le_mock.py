'''dbusmock template: bluez5 plus what Branchcast's BLE adapter needs.

Adds to python3-dbusmock's bluez5 template:
- org.bluez.Mock.AddLeAdapter(name, alias, instances): an adapter with LEAdvertisingManager1
  (SupportedInstances, ActiveInstances) whose RegisterAdvertisement reads the advertisement's
  properties back from the caller's exported object, as bluetoothd does, and refuses registrations
  beyond SupportedInstances.
- org.bluez.Mock.Advertisements(adapter) -> a{oa{sv}}: what is registered now, as read.
- org.bluez.Mock.Advert(adapter, address, rssi, manufacturer a{qv}, service a{sv}): a device heard;
  the first time it emits InterfacesAdded, then PropertiesChanged with RSSI, ManufacturerData and
  ServiceData (emitted directly: dbusmock 0.28's UpdateProperties drops dict-valued properties).
- org.bluez.Mock.Forget(adapter, address): InterfacesRemoved for a device.
'''

import dbus

from dbusmock import OBJECT_MANAGER_IFACE, mockobject
from dbusmock.templates import bluez5
from dbusmock.templates.bluez5 import *  # noqa: F401,F403  (BUS_NAME, the bluez5 methods)

LE_ADV_MANAGER_IFACE = 'org.bluez.LEAdvertisingManager1'
LE_ADV_IFACE = 'org.bluez.LEAdvertisement1'
PROPS_IFACE = 'org.freedesktop.DBus.Properties'

BUS_NAME = bluez5.BUS_NAME
MAIN_OBJ = bluez5.MAIN_OBJ
SYSTEM_BUS = bluez5.SYSTEM_BUS
IS_OBJECT_MANAGER = bluez5.IS_OBJECT_MANAGER

REGISTERED = {}  # adapter path -> {advert path: props}


def load(mock, parameters):
    bluez5.load(mock, parameters)


@dbus.service.method(bluez5.BLUEZ_MOCK_IFACE, in_signature='ssy', out_signature='s')
def AddLeAdapter(self, device_name, system_name, instances):
    path = bluez5.AddAdapter(self, device_name, system_name)
    adapter = mockobject.objects[path]
    props = {
        'SupportedInstances': dbus.Byte(instances, variant_level=1),
        'ActiveInstances': dbus.Byte(0, variant_level=1),
        'SupportedIncludes': dbus.Array(['tx-power'], signature='s', variant_level=1),
    }
    adapter.AddProperties(LE_ADV_MANAGER_IFACE, props)
    REGISTERED[path] = {}
    self.EmitSignal(OBJECT_MANAGER_IFACE, 'InterfacesAdded', 'oa{sa{sv}}',
                    [dbus.ObjectPath(path), {LE_ADV_MANAGER_IFACE: props}])
    return path


def _set_active(adapter, path):
    n = dbus.Byte(len(REGISTERED[path]))
    adapter.props[LE_ADV_MANAGER_IFACE]['ActiveInstances'] = n


@dbus.service.method(LE_ADV_MANAGER_IFACE, in_signature='oa{sv}', out_signature='', sender_keyword='sender')
def RegisterAdvertisement(self, advert_path, _options, sender=None):
    path = self.__dbus_object_path__
    if path not in REGISTERED:
        raise dbus.exceptions.DBusException('not an LE adapter', name='org.bluez.Error.NotSupported')
    if advert_path in REGISTERED[path]:
        raise dbus.exceptions.DBusException('Already Exists', name='org.bluez.Error.AlreadyExists')
    supported = int(self.props[LE_ADV_MANAGER_IFACE]['SupportedInstances'])
    if len(REGISTERED[path]) >= supported:
        raise dbus.exceptions.DBusException('Maximum advertisements reached',
                                            name='org.bluez.Error.NotPermitted')
    obj = self.connection.get_object(sender, advert_path, introspect=False)
    props = obj.GetAll(LE_ADV_IFACE, dbus_interface=PROPS_IFACE)
    if props.get('Type') not in ('broadcast', 'peripheral'):
        raise dbus.exceptions.DBusException('bad Type', name='org.bluez.Error.InvalidArguments')
    REGISTERED[path][str(advert_path)] = props
    _set_active(self, path)


@dbus.service.method(LE_ADV_MANAGER_IFACE, in_signature='o', out_signature='')
def UnregisterAdvertisement(self, advert_path):
    path = self.__dbus_object_path__
    if str(advert_path) not in REGISTERED.get(path, {}):
        raise dbus.exceptions.DBusException('Does Not Exist', name='org.bluez.Error.DoesNotExist')
    del REGISTERED[path][str(advert_path)]
    _set_active(self, path)


@dbus.service.method(bluez5.BLUEZ_MOCK_IFACE, in_signature='s', out_signature='a{oa{sv}}')
def Advertisements(_self, device_name):
    regs = REGISTERED.get('/org/bluez/' + device_name, {})
    return dbus.Dictionary({dbus.ObjectPath(p): dbus.Dictionary(v, signature='sv') for p, v in regs.items()},
                           signature='oa{sv}')


@dbus.service.method(bluez5.BLUEZ_MOCK_IFACE, in_signature='ssna{qv}a{sv}', out_signature='')
def Advert(self, device_name, address, rssi, manufacturer, service):
    adapter_path = '/org/bluez/' + device_name
    path = adapter_path + '/dev_' + address.replace(':', '_').upper()
    changed = {
        'RSSI': dbus.Int16(rssi, variant_level=1),
        'ManufacturerData': dbus.Dictionary(manufacturer, signature='qv', variant_level=1),
        'ServiceData': dbus.Dictionary(service, signature='sv', variant_level=1),
    }
    if path not in mockobject.objects:
        props = {
            'Address': dbus.String(address, variant_level=1),
            'AddressType': dbus.String('random', variant_level=1),
            'Adapter': dbus.ObjectPath(adapter_path, variant_level=1),
            'Paired': dbus.Boolean(False, variant_level=1),
            'Connected': dbus.Boolean(False, variant_level=1),
        }
        props.update(changed)
        self.AddObject(path, bluez5.DEVICE_IFACE, props, [])
        self.EmitSignal(OBJECT_MANAGER_IFACE, 'InterfacesAdded', 'oa{sa{sv}}',
                        [dbus.ObjectPath(path), {bluez5.DEVICE_IFACE: props}])
        return
    device = mockobject.objects[path]
    device.props[bluez5.DEVICE_IFACE].update(changed)
    device.EmitSignal(PROPS_IFACE, 'PropertiesChanged', 'sa{sv}as', [bluez5.DEVICE_IFACE, changed, []])


@dbus.service.method(bluez5.BLUEZ_MOCK_IFACE, in_signature='ss', out_signature='')
def Forget(self, device_name, address):
    path = '/org/bluez/' + device_name + '/dev_' + address.replace(':', '_').upper()
    if path in mockobject.objects:
        self.RemoveObject(path)
        self.EmitSignal(OBJECT_MANAGER_IFACE, 'InterfacesRemoved', 'oas',
                        [dbus.ObjectPath(path), [bluez5.DEVICE_IFACE]])
