/* Read the soil moisture sensor over I2C and print a percentage every five minutes. */
#include <fcntl.h>
#include <linux/i2c-dev.h>
#include <stdint.h>
#include <stdio.h>
#include <sys/ioctl.h>
#include <unistd.h>

#define SENSOR_ADDRESS 0x36
#define DRY_READING 1000
#define WET_READING 400

/* Converts a raw capacitance reading to 0-100 %, clamped. */
static int moisture_percent(int raw) {
    int percent = (DRY_READING - raw) * 100 / (DRY_READING - WET_READING);
    if (percent < 0) return 0;
    if (percent > 100) return 100;
    return percent;
}

static int read_raw(int fd) {
    uint8_t request[2] = {0x0F, 0x10};
    uint8_t reply[2];
    if (write(fd, request, 2) != 2) return -1;
    usleep(5000);
    if (read(fd, reply, 2) != 2) return -1;
    return (reply[0] << 8) | reply[1];
}

int main(void) {
    int fd = open("/dev/i2c-1", O_RDWR);
    if (fd < 0 || ioctl(fd, I2C_SLAVE, SENSOR_ADDRESS) < 0) {
        perror("i2c");
        return 1;
    }
    for (;;) {
        int raw = read_raw(fd);
        if (raw >= 0) printf("soil moisture: %d%%\n", moisture_percent(raw));
        fflush(stdout);
        sleep(300);
    }
}
